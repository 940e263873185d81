/**
 * Postfix's live parameters for every control of a run from one `postconf p1 p2 …` process (and
 * one `postconf -P` if something needs master.cf's overrides): each is a process on the server.
 */
import type { ExecResult, ReadHost } from '../host/host.js';
import type { ServerEnv } from './server-env.js';

export interface PostconfValues {
  /** Value of each parameter as postconf printed it; absent: postconf does not know it (it warns and exits 0). */
  values: ReadonlyMap<string, string>;
  exitCode: number;
  stderr: string;
}

export interface PostconfReader {
  /** Values of these parameters, which must be among those the reader was made for: one run, shared by every caller. */
  params(names: readonly string[]): Promise<PostconfValues>;
  /** `postconf -P` (master.cf's per-service parameters), run on first need, once. */
  master(): Promise<ExecResult>;
}

/** `name = value` lines, in any order (postconf prints them in the order of its arguments). */
export function parsePostconf(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s*=\s?(.*)$/.exec(line);
    if (m) values.set(m[1]!, m[2]!);
  }
  return values;
}

/** A reader of `names` (as zimbra, as Zimbra's own scripts run postconf); nothing runs until asked. */
export function postconfReader(host: ReadHost, env: Pick<ServerEnv, 'paths'>, names: Iterable<string>): PostconfReader {
  const declared = [...new Set(names)];
  let main: Promise<PostconfValues> | undefined;
  let master: Promise<ExecResult> | undefined;
  return {
    params(wanted) {
      const undeclared = wanted.filter((name) => !declared.includes(name));
      if (undeclared.length > 0) return Promise.reject(new Error(`postconf parameters read but not declared: ${undeclared.join(', ')}`));
      // Without names postconf would print every parameter.
      if (declared.length === 0) return Promise.resolve({ values: new Map(), exitCode: 0, stderr: '' });
      main ??= host.exec(env.paths.postconf, declared, { user: 'zimbra' }).then((r) => ({ values: parsePostconf(r.stdout), exitCode: r.exitCode, stderr: r.stderr }));
      return main;
    },
    master() {
      master ??= host.exec(env.paths.postconf, ['-P'], { user: 'zimbra' });
      return master;
    },
  };
}
