import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, test } from 'vitest';
import { CLI, cli, sandbox } from '../helpers/sandbox.js';

/** Runs the CLI with its stdout read by nobody (as `… | head -1` once head has left); stderr kept. */
async function withClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', CI: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stderr };
}

test('help read by a pipe that closes early: no EPIPE stack, exit 0', async () => {
  const { code, stderr } = await withClosedStdout(['sandbox', 'create', '--help']);
  expect(stderr).not.toContain('EPIPE');
  expect(code).toBe(0);
});

test('an apply whose output nobody reads any more still finishes: the audit then finds every step in place', async () => {
  const box = await sandbox('8.8.15');
  const { code, stderr } = await withClosedStdout(['--root', box.root, 'apply', '--yes', '--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=admin@b.example']);
  expect(stderr).not.toContain('EPIPE');
  expect(code).toBe(0);
  const audit = await cli(['--root', box.root, 'audit', '-q']);
  expect(audit.exitCode).toBe(0);
}, 180_000);
