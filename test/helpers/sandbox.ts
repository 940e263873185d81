import { execa, type Options } from 'execa';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inject, onTestFinished } from 'vitest';
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

type SandboxOptions = NonNullable<Parameters<typeof sandbox>[1]>;

/**
 * A sandbox as a successful `apply ARGS --yes` left it. The first test of a vitest run that asks for a
 * version, options and arguments runs that apply for real (and fails if it does not succeed); the
 * others get a copy of the tree (`cp -a`: owners, modes, times and relative links kept). For tests
 * whose subject comes after the first apply: a test of the first apply itself runs it with cli().
 */
export async function appliedSandbox(version: SandboxVersion, options: SandboxOptions, args: string[]): Promise<TestSandbox> {
  const store = inject('appliedSandboxes');
  const key = createHash('sha256').update(JSON.stringify([version, options, args])).digest('hex').slice(0, 16);
  const template = join(store, key);
  let info: TestSandbox;
  try {
    info = JSON.parse(await readFile(join(template, 'info.json'), 'utf8')) as TestSandbox;
  } catch {
    info = await applyTemplate(store, template, version, options, args);
  }
  const parent = await mkdtemp(join(tmpdir(), 'zh-test-'));
  onTestFinished(() => rm(parent, { recursive: true, force: true }));
  const root = join(parent, 'host');
  await execa('cp', ['-a', '--', info.root, root]);
  await relocate(root, info.root, root);
  return { ...info, root };
}

async function applyTemplate(store: string, template: string, version: SandboxVersion, options: SandboxOptions, args: string[]): Promise<TestSandbox> {
  const building = await mkdtemp(join(store, 'building-'));
  const root = join(building, 'host');
  const created = await createSandbox(root, { version, domains: options.domains ?? ['a.example', 'b.example'], ...options });
  const result = await cli(['--root', root, 'apply', '--yes', ...args]);
  if (result.exitCode !== 0) throw new Error(`apply ${args.join(' ')} on a ${version} sandbox exited ${result.exitCode}: ${result.stderr}`);
  const info: TestSandbox = { root: join(template, 'host'), hostname: created.hostname, accounts: created.accounts };
  await relocate(root, root, info.root);
  await writeFile(join(building, 'info.json'), JSON.stringify(info));
  // Another test file may have built the same tree meanwhile: the first rename wins, both trees are equal.
  await rename(building, template).catch(() => rm(building, { recursive: true, force: true }));
  return info;
}

/** No file of a sandbox names its root but the calls log and the lines a run writes with `--root` (cron): the tree in dir is rewritten to name `to` instead of `from`. */
async function relocate(dir: string, from: string, to: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const text = await readFile(file, 'utf8');
    if (!text.includes(from)) continue;
    const { atime, mtime } = await stat(file);
    await writeFile(file, text.replaceAll(from, to));
    await utimes(file, atime, mtime);
  }
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
