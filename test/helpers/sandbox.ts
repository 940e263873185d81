import { execa, type Options } from 'execa';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { onTestFinished } from 'vitest';
import { createSandbox } from '../../src/simulation/sandbox/create.js';
import type { SandboxVersion } from '../../src/zimbra/paths.js';

export const CLI = join(import.meta.dirname, '../../dist/cli.js');

export interface TestSandbox {
  root: string;
  hostname: string;
  accounts: string[];
}

/** A fresh simulated Zimbra host in a temporary folder, removed when the test ends. */
export async function sandbox(
  version: SandboxVersion,
  options: { domains?: string[]; webui?: boolean; publishWebui?: boolean; phpPdoSqlite?: boolean } = {},
): Promise<TestSandbox> {
  const parent = await mkdtemp(join(tmpdir(), 'zh-test-'));
  onTestFinished(() => rm(parent, { recursive: true, force: true }));
  const info = await createSandbox(join(parent, 'host'), {
    version,
    domains: options.domains ?? ['a.example', 'b.example'],
    webui: options.webui,
    publishWebui: options.publishWebui,
    phpPdoSqlite: options.phpPdoSqlite,
  });
  return { root: info.root, hostname: info.hostname, accounts: info.accounts };
}

/** Runs the built CLI as a real process (no terminal, so never interactive). */
export async function cli(args: string[], options: Options = {}) {
  const result = await execa(process.execPath, [CLI, ...args], { reject: false, env: { NO_COLOR: '1', CI: '' }, ...options });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** sha256 of every file under root (but the calls log and lock files, which a run leaves by design), to prove that nothing changed. */
export async function fingerprint(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && !full.endsWith('calls.log') && !full.endsWith('.lock')) {
        out[relative(root, full)] = createHash('sha256').update(await readFile(full)).digest('hex');
      }
    }
  }
  await walk(root);
  return out;
}
