/**
 * Debian's real postconf (Postfix 3.7), to hold the simulated one to: installed (/usr/sbin/postconf) or, as
 * .ci/run does to stay clear of a running mail system, unpacked from the postfix package into .cache/postfix.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const UNPACKED = join(import.meta.dirname, '../../.cache/postfix');

export interface RealPostconf {
  file: string;
  env: NodeJS.ProcessEnv;
}

/** Fails with the command that provides it when neither is there. */
export function realPostconf(): RealPostconf {
  if (existsSync('/usr/sbin/postconf')) return { file: '/usr/sbin/postconf', env: process.env };
  const file = join(UNPACKED, 'usr/sbin/postconf');
  if (existsSync(file)) return { file, env: { ...process.env, LD_LIBRARY_PATH: join(UNPACKED, 'usr/lib/postfix') } };
  throw new Error('the real postconf is missing: apt-get install postfix, or run .ci/run (it unpacks the package into .cache/postfix)');
}

export interface Answer {
  exitCode: number;
  stdout: string;
  /** Only postconf's answers to the request (not the warnings about this machine's own setup). */
  stderr: string[];
}

/** `postconf -c DIR ARGS…` with the real Postfix. */
export function runRealPostconf(real: RealPostconf, configDir: string, args: string[]): Promise<Answer> {
  return new Promise((resolve) => {
    execFile(real.file, ['-c', configDir, ...args], { env: real.env }, (error, stdout, stderr) => {
      resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr: requestLines(stderr) });
    });
  });
}

/**
 * The stderr lines that answer the request: an unknown parameter, an unmatched -P request, a fatal usage error.
 * A real postconf also warns about what it reads around main.cf (the LDAP map files under /opt/zimbra, main.cf's
 * own config_directory), which the simulated host has no reason to repeat.
 */
export function requestLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => /unknown parameter|unmatched request|fatal:/.test(l))
    .map((l) => l.replace(/^\S*postconf: /, 'postconf: '));
}
