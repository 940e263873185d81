/** What the tool promises when the server's tools fail or hang, and without a terminal (docs/safety.md); an interrupted apply: interrupted-apply.test.ts. */
import { execa } from 'execa';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PENDING_RESTARTS } from '../../src/core/pending-restarts.js';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { writeFaults } from '../../src/simulation/sandbox/faults.js';
import { readLdap, readServices } from '../../src/simulation/sandbox/state.js';
import { appliedSandbox, cli, fingerprint, sandbox } from '../helpers/sandbox.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
const ENV = { NO_COLOR: '1', CI: '' };
// Several runs of the CLI per test: a busy machine needs more than the default minute.
vi.setConfig({ testTimeout: 180_000 });

const events = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const restarts = async (root: string) => (await readCalls(root)).filter((c) => c.argv[0] === 'restart').map((c) => c.tool);

describe('without a terminal', () => {
  it('apply, apply --json and cron install refuse without --yes (exit 64) and change nothing; the bare command prints help and the plan', async () => {
    const box = await sandbox('8.8.15');
    const before = await fingerprint(box.root);
    const apply = await cli(['--root', box.root, 'apply', ...CATCH_ALL]);
    expect(apply.exitCode).toBe(64);
    expect(apply.stderr).toMatch(/nothing was changed: without a terminal there is no one to confirm the changes; add --yes/);
    const json = await cli(['--root', box.root, '--json', 'apply', ...CATCH_ALL]);
    expect(json.exitCode).toBe(64);
    expect((await cli(['--root', box.root, 'cron', 'install'])).exitCode).toBe(64);
    const bare = await cli(['--root', box.root, ...CATCH_ALL]);
    expect(bare.exitCode).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: zimbra-harden/);
    expect(bare.stdout).toMatch(/change +catch-all +a\.example/);
    expect(await fingerprint(box.root)).toEqual(before);
    expect((await readCalls(box.root)).some((c) => c.argv[0] === 'restart' || (c.stdin ?? []).some((l) => /^(ma|ms|mcf) /.test(l)))).toBe(false);
  });

  it('contain refuses to print a new password into a file or pipe', async () => {
    const box = await sandbox('8.8.15');
    const r = await cli(['--root', box.root, 'contain', 'carol@a.example', '--yes']);
    expect(r.exitCode).toBe(64);
    expect(r.stderr).toMatch(/standard output is not a terminal: give --password-file FILE/);
    expect((await readLdap(box.root)).accounts['carol@a.example']?.zimbraAccountStatus).toEqual(['active']);
  });
});

describe('faults in the server tools', () => {
  it('a zmprov command that fails is reported failed (text and JSON), the others applied, and nothing after it runs', async () => {
    const box = await sandbox('8.8.15');
    await writeFaults(box.root, [{ tool: 'zmprov', command: 'ms', fail: 'LDAP error: server unwilling to perform' }]);
    const r = await cli(['--root', box.root, '--json', 'apply', '--yes', ...CATCH_ALL]);
    expect(r.exitCode).toBe(1);
    const lines = events(r.stdout);
    const errored = lines.filter((l) => l.type === 'apply_errored');
    expect(errored.map((l) => l.id)).toEqual(['cbpolicyd-service']);
    expect(errored[0]!.error).toMatch(/ERROR: service.FAILURE \(system failure: LDAP error/);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', failed: 1 });
    expect((summary.applied as { id: string }[]).map((a) => a.id)).toEqual(['catch-all', 'catch-all']);
    expect((summary.applied as { id: string }[]).some((a) => a.id === 'cbpolicyd-service')).toBe(false);
    expect(await restarts(box.root)).toEqual([]);
    // text output says the same
    const text = await cli(['--root', box.root, 'apply', '--yes']);
    expect(text.stdout).toMatch(/failed +cbpolicyd-service mail\.a\.example: ERROR: service\.FAILURE/);
  });

  it('a hung restart is stopped at its time limit, named, the lock released, and the next run restarts what is still owed', async () => {
    const box = await sandbox('8.8.15');
    await writeFaults(box.root, [{ tool: 'zmmtactl', args: ['restart'], hang: true, times: 1 }]);
    const r = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL], { env: { ...ENV, ZIMBRA_HARDEN_TIMEOUTS: 'zmmtactl=1' } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/zmmtactl restart did not finish within 1 s and was stopped/);
    expect(JSON.parse(await readFile(join(box.root, PENDING_RESTARTS), 'utf8')).services).toEqual(['mta', 'cbpolicyd', 'apache']);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(2);
    expect(audit.stdout).toMatch(/did not finish restarting them/);

    const again = await cli(['--root', box.root, 'apply', '--yes']);
    expect(again.exitCode).toBe(0);
    expect(await restarts(box.root)).toEqual(['zmmtactl', 'zmcbpolicydctl', 'zmapachectl']);
    expect(await stat(join(box.root, PENDING_RESTARTS)).catch(() => undefined)).toBeUndefined();
    expect((await cli(['--root', box.root, 'audit', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('audit sees a httpd.conf that Apache has not loaded (restarted by hand later: ok)', async () => {
    const box = await sandbox('8.8.15');
    expect((await cli(['--root', box.root, 'apply', '--yes', '--restart', 'none', ...CATCH_ALL, '--webui-allow', '192.0.2.0/24'])).exitCode).toBe(0);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(2);
    expect(audit.stdout).toMatch(/httpd\.conf changed at .* after Apache started .*: Apache has not loaded it/);
    await execa(join(box.root, 'opt/zimbra/bin/zmapachectl'), ['restart']);
    expect(await readServices(box.root)).toMatchObject({ apache: true });
    const later = await cli(['--root', box.root, 'audit']);
    expect(later.stdout).not.toMatch(/Apache has not loaded it/);
  });

  it('a config file that cannot be saved after a successful apply: recap and summary, then the reason, exit 73', async () => {
    // An applied server, so the apply that cannot save its settings changes only the web UI's access block.
    const box = await appliedSandbox('8.8.15', {}, CATCH_ALL);
    const r = await cli(['--root', box.root, '--config', '/sys/zimbra-harden-none/config.json', '--json', 'apply', '--yes', ...CATCH_ALL, '--webui-allow', '192.0.2.0/24']);
    expect(r.exitCode).toBe(73);
    const lines = events(r.stdout);
    expect(lines.find((l) => l.type === 'summary')).toMatchObject({ failed: 0 });
    expect((lines.find((l) => l.type === 'summary')!.applied as { id: string }[]).map((a) => a.id)).toContain('webui-exposure');
    expect(lines.at(-1)).toMatchObject({ type: 'error' });
    expect(String(lines.at(-1)!.message)).toMatch(/the settings could not be saved to \/sys\/zimbra-harden-none\/config\.json/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('sandbox create into a folder that is not empty: a clear refusal, exit 73', async () => {
    const box = await sandbox('8.8.15');
    const r = await cli(['sandbox', 'create', box.root]);
    expect(r.exitCode).toBe(73);
    expect(r.stderr).toMatch(/refusing to create a sandbox in .*: it is not an empty folder/);
  });
});
