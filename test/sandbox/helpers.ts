import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';
import { createSandbox, type SandboxInfo, type SandboxOptions } from '../../src/simulation/sandbox/create.js';
import { toolPath, type ToolName } from '../../src/simulation/sandbox/tool-paths.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import type { SandboxVersion } from '../../src/zimbra/paths.js';

const created: string[] = [];

afterAll(async () => {
  await Promise.all(created.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh sandbox in a temporary folder, removed after the test file. */
export async function sandbox(version: SandboxVersion, options: Partial<SandboxOptions> = {}): Promise<SandboxInfo> {
  const parent = await mkdtemp(path.join(tmpdir(), 'zh-sandbox-'));
  created.push(parent);
  return createSandbox(path.join(parent, 'root'), { version, domains: ['example.com'], ...options });
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
