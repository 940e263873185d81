/** An apply interrupted (Ctrl-C) or killed part-way: what it finishes, what it owes, and how the next run converges (docs/safety.md). */
import { execa } from 'execa';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PENDING_RESTARTS } from '../../src/core/pending-restarts.js';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { writeFaults } from '../../src/simulation/sandbox/faults.js';
import { readServices } from '../../src/simulation/sandbox/state.js';
import { CLI, cli, sandbox } from '../helpers/sandbox.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
const ENV = { NO_COLOR: '1', CI: '' };
// Several runs of the CLI per test: a busy machine needs more than the default minute.
vi.setConfig({ testTimeout: 180_000 });

const restarts = async (root: string) => (await readCalls(root)).filter((c) => c.argv[0] === 'restart').map((c) => c.tool);

/** Every `.NAME.zimbra-harden.tmp` and `*.bak` under the server's folders. */
async function leftovers(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!full.endsWith('/var/lib/zimbra-harden/backups')) await walk(full);
      } else if (entry.name.endsWith('.zimbra-harden.tmp') || entry.name.endsWith('.bak')) found.push(full.slice(root.length));
    }
  }
  await walk(join(root, 'opt'));
  await walk(join(root, 'etc'));
  return found;
}

describe('interrupted apply', () => {
  it('Ctrl-C during a restart lets it finish, says so, then stops before the next step (exit 130); the next run restarts the rest', async () => {
    const box = await sandbox('8.8.15');
    await writeFaults(box.root, [{ tool: 'zmmtactl', args: ['restart'], slowMs: 2000, times: 1 }]);
    const child = execa(process.execPath, [CLI, '--root', box.root, 'apply', '--yes', ...CATCH_ALL], { reject: false, env: ENV });
    // The fault is marked used as the restart begins.
    for (;;) {
      const rules = JSON.parse(await readFile(join(box.root, '.sandbox/faults.json'), 'utf8')) as { used?: number }[];
      if (rules[0]!.used === 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toMatch(/SIGINT: waiting for zmmtactl restart to finish before exiting/);
    const calls = await readCalls(box.root);
    expect(calls.filter((c) => c.argv[0] === 'restart').map((c) => [c.tool, c.exitCode])).toEqual([['zmmtactl', 0]]);
    expect(JSON.parse(await readFile(join(box.root, PENDING_RESTARTS), 'utf8')).services).toEqual(['cbpolicyd', 'apache']);
    const next = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL]);
    expect(next.exitCode).toBe(0);
    expect(next.stdout).toMatch(/an earlier apply .* changed cbpolicyd, apache but did not finish restarting them/);
    const after = (await restarts(box.root)).slice(1);
    expect(after).toContain('zmcbpolicydctl');
    expect(after).toContain('zmapachectl');
    expect(await stat(join(box.root, PENDING_RESTARTS)).catch(() => undefined)).toBeUndefined();
  });

  it('killed or interrupted at varied moments, the next apply converges: nothing pending, nothing half-done, audit clean', async () => {
    const box = await sandbox('10.1.0');
    const args = ['--root', box.root, 'apply', '--yes', ...CATCH_ALL, '--webui-allow', '192.0.2.0/24', '--quota', '50'];
    // Moments counted in the run's own progress (the simulated commands it has run so far), not in
    // wall time: the same steps are hit on a fast or a busy machine. From the first read to the
    // write batch, the file checks, the restarts and the quota rows after them.
    const moments: [number, NodeJS.Signals][] = [
      [1, 'SIGKILL'],
      [3, 'SIGINT'],
      [4, 'SIGKILL'],
      [5, 'SIGINT'],
      [6, 'SIGKILL'],
      [7, 'SIGINT'],
      [8, 'SIGKILL'],
      [9, 'SIGINT'],
    ];
    for (const [steps, signal] of moments) {
      const start = (await readCalls(box.root)).length;
      const child = execa(process.execPath, [CLI, ...args], { reject: false, env: ENV });
      let exited = false;
      void child.finally(() => (exited = true));
      while (!exited && (await readCalls(box.root)).length < start + steps) await new Promise((r) => setTimeout(r, 10));
      child.kill(signal);
      const result = await child;
      // Finished (0), interrupted (130) or killed: never "internal error".
      expect(result.stderr).not.toMatch(/internal error/);
    }
    // A restart left running by a killed run ends on its own; the final run waits on nothing else.
    const final = await cli(args);
    expect(final.stderr).toBe('');
    expect(final.exitCode).toBe(0);
    expect(await stat(join(box.root, PENDING_RESTARTS)).catch(() => undefined)).toBeUndefined();
    expect(await leftovers(box.root)).toEqual([]);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.stdout).toMatch(/drift=0/);
    expect(audit.exitCode).toBe(0);
    expect((await readServices(box.root)).cbpolicyd).toBe(true);
    const second = await cli(args);
    expect(second.stdout).toMatch(/changed=0/);
  });
});
