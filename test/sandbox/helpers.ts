import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { onTestFinished } from 'vitest';
import { createSandbox, type SandboxInfo, type SandboxOptions } from '../../src/simulation/sandbox/create.js';
import { toolPath, type ToolName } from '../../src/simulation/sandbox/tool-paths.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import type { SandboxVersion } from '../../src/zimbra/paths.js';

// Clean-ups belong to a test or a block, never to this module: files that share a worker import it once.
async function create(version: SandboxVersion, options: Partial<SandboxOptions>): Promise<{ parent: string; info: SandboxInfo }> {
  const parent = await mkdtemp(path.join(tmpdir(), 'zh-sandbox-'));
  return { parent, info: await createSandbox(path.join(parent, 'root'), { version, domains: ['example.com'], ...options }) };
}

/** A fresh sandbox in a temporary folder, removed when the test ends. */
export async function sandbox(version: SandboxVersion, options: Partial<SandboxOptions> = {}): Promise<SandboxInfo> {
  const { parent, info } = await create(version, options);
  onTestFinished(() => rm(parent, { recursive: true, force: true }));
  return info;
}

/** A fresh sandbox for a beforeAll hook, which returns `remove` so that the block's tests share it and it goes after them. */
export async function blockSandbox(version: SandboxVersion, options: Partial<SandboxOptions> = {}): Promise<{ info: SandboxInfo; remove: () => Promise<void> }> {
  const { parent, info } = await create(version, options);
  return { info, remove: () => rm(parent, { recursive: true, force: true }) };
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs a simulated executable as a real process, the way the tool does. */
export async function run(info: SandboxInfo, tool: ToolName, args: string[] = [], input?: string): Promise<RunResult> {
  const file = path.join(info.root, toolPath(tool, versionProfile(info.version)));
  const result = await execa(file, args, { input: input ?? '', reject: false, stripFinalNewline: false });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** postconf -h NAME. */
export async function postconfValue(info: SandboxInfo, name: string): Promise<string> {
  const r = await run(info, 'postconf', ['-h', name]);
  return r.stdout.replace(/\n$/, '');
}
