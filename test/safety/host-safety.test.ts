import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openPolicyDb } from '../../src/cbpolicyd/db.js';
import { tryLock } from '../../src/core/lock.js';
import { addPending, clearPending, PENDING_RESTARTS, readPending } from '../../src/core/pending-restarts.js';
import { planRestart } from '../../src/core/restart.js';
import type { Item, ServerEnv } from '../../src/core/types.js';
import { RealHost } from '../../src/host/real-host.js';
import { zimbraPaths } from '../../src/zimbra/paths.js';
import { splitBatchResults } from '../../src/zimbra/zmprov-batch.js';

const dirs: string[] = [];
async function tempRoot(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zh-safety-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('zmprov batch output, command by command', () => {
  const commands = [['ma', 'admin@a.example', 'zimbraMailCatchAllAddress', '@a.example'], ['ms', 'mail.a.example', '+zimbraServiceEnabled', 'cbpolicyd'], ['mcf', 'zimbraMtaRestriction', 'x']];

  it('an ERROR line belongs to the command whose prompt it follows, even when it names no target', () => {
    const merged = 'prov> prov> ERROR: service.FAILURE (system failure: LDAP error)\nprov> prov> ';
    const results = splitBatchResults(merged, commands);
    expect(results.map((r) => r.errors)).toEqual([[], ['ERROR: service.FAILURE (system failure: LDAP error)'], []]);
    expect(results.every((r) => r.completed)).toBe(true);
  });

  it('a batch cut short leaves the commands after the last prompt not completed', () => {
    const results = splitBatchResults('prov> prov> ', commands);
    expect(results.map((r) => r.completed)).toEqual([true, false, false]);
  });
});

describe('flock locks', () => {
  it('a second holder is refused while the first holds it, and gets it once released', async () => {
    const host = new RealHost(await tempRoot());
    const first = await tryLock(host, '/var/lib/zimbra-harden/apply.lock');
    expect(first).toBeDefined();
    expect(await tryLock(host, '/var/lib/zimbra-harden/apply.lock')).toBeUndefined();
    await first!.release();
    const again = await tryLock(host, '/var/lib/zimbra-harden/apply.lock');
    expect(again).toBeDefined();
    await again!.release();
  });

  it('a lock file naming a dead process does not block', async () => {
    const root = await tempRoot();
    await mkdir(join(root, 'run/zimbra-harden'), { recursive: true, mode: 0o755 });
    await writeFile(join(root, 'run/zimbra-harden/monitor.lock'), '999999\n');
    const lock = await tryLock(new RealHost(root), '/run/zimbra-harden/monitor.lock');
    expect(lock).toBeDefined();
    await lock!.release();
  });

  it('a lock in a folder others can write is refused', async () => {
    const root = await tempRoot();
    await mkdir(join(root, 'run/lock'), { recursive: true });
    await chmod(join(root, 'run/lock'), 0o1777);
    await expect(tryLock(new RealHost(root), '/run/lock/zimbra-harden-monitor.lock')).rejects.toThrow(/refusing to lock in .*run\/lock: the folder is writable by others/);
  });
});

describe('writeFileAtomic', () => {
  it('replaces what a killed run left under the predictable temporary name, and leaves no temporary file on error', async () => {
    const root = await tempRoot();
    const host = new RealHost(root);
    await mkdir(join(root, 'opt/webui'), { recursive: true });
    await writeFile(join(root, 'opt/webui/.config.php.zimbra-harden.tmp'), '');
    await host.writeFileAtomic('/opt/webui/config.php', '<?php\n');
    expect(await readdir(join(root, 'opt/webui'))).toEqual(['config.php']);
    await expect(host.writeFileAtomic('/opt/webui/config.php', 'bad', { validate: async () => Promise.reject(new Error('php -l failed')) })).rejects.toThrow(/php -l failed/);
    expect(await readdir(join(root, 'opt/webui'))).toEqual(['config.php']);
  });

  it('keeps backups in a root-only folder outside the file’s own folder', async () => {
    const root = await tempRoot();
    const host = new RealHost(root);
    await mkdir(join(root, 'opt/webui'), { recursive: true });
    await writeFile(join(root, 'opt/webui/config.php'), 'secret');
    const backup = await host.backup('/opt/webui/config.php', '/var/lib/zimbra-harden/backups');
    expect(backup).toMatch(/^\/var\/lib\/zimbra-harden\/backups\/opt\/webui\/config\.php\.\d{8}T\d{6}\.bak$/);
    expect(await readdir(join(root, 'opt/webui'))).toEqual(['config.php']);
    expect((await host.stat('/var/lib/zimbra-harden/backups'))!.mode & 0o777).toBe(0o700);
  });
});

describe('pending restarts', () => {
  const env = { hostname: 'mail.a.example', paths: zimbraPaths({ major: 8, minor: 8, patch: 15 }) } as ServerEnv;
  const noChange: Item[] = [{ control: 'catch-all', subject: 'a.example', status: 'ok', message: 'ok', actions: [], restart: [] }];

  it('are written down, crossed off one by one, and planned by the next run even when nothing else changes', async () => {
    const host = new RealHost(await tempRoot());
    await addPending(host, ['mta', 'apache']);
    const pending = await readPending(host);
    expect(pending.services).toEqual(['mta', 'apache']);
    const item = planRestart(noChange, env, {}, { pending: pending.services, pendingSince: pending.since, stale: [] });
    expect(item.status).toBe('change');
    expect(item.actions.map((a) => (a.kind === 'run' ? a.command : ''))).toEqual([env.paths.zmmtactl, env.paths.zmapachectl]);
    expect(item.details?.[0]).toMatch(/an earlier apply .* did not finish restarting them/);
    await clearPending(host, ['mta']);
    expect((await readPending(host)).services).toEqual(['apache']);
    await clearPending(host, ['apache']);
    expect(await host.stat(PENDING_RESTARTS)).toBeUndefined();
  });
});

describe('cbpolicyd database', () => {
  it('one left half-created by an interrupted first start is recognised, with the way to rebuild it', async () => {
    const file = join(await tempRoot(), 'cbpolicyd.sqlitedb');
    const db = new Database(file);
    db.exec('CREATE TABLE policies (ID INTEGER PRIMARY KEY, Name TEXT, Priority INTEGER, Description TEXT, Disabled INTEGER)');
    db.close();
    expect(() => openPolicyDb(file, { readonly: true, label: '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb' })).toThrow(
      /half-created \(no table policy_members, .*zmcbpolicydinit -force; zmcbpolicydctl start; then run apply again/,
    );
  });
});

describe('operational failures', () => {
  it('a refused SMTP server, an unwritable folder: one line and a sysexits code, not "internal error"', async () => {
    const { operationalError } = await import('../../src/operational-error.js');
    const smtp = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' });
    expect(operationalError(smtp)).toEqual({ message: 'the mail or network service refused or did not answer: connect ECONNREFUSED 127.0.0.1:25', exitCode: 69 });
    const rejected = Object.assign(new Error('Message failed'), { code: 'EENVELOPE', response: '554 5.7.1 Relay access denied' });
    expect(operationalError(rejected)?.message).toMatch(/554 5\.7\.1 Relay access denied/);
    const denied = Object.assign(new Error('EACCES'), { code: 'EACCES', path: '/var/lib/zimbra-harden/monitor-state.json', syscall: 'rename' });
    expect(operationalError(denied)).toEqual({ message: 'cannot write /var/lib/zimbra-harden/monitor-state.json: permission denied (rename)', exitCode: 73 });
    expect(operationalError(new TypeError('x is undefined'))).toBeUndefined();
  });
});

describe('state folder', () => {
  it('one that cannot be written stops the monitor before it reads or mails anything (exit 73)', async () => {
    const { assertStateWritable } = await import('../../src/core/state-dir.js');
    const root = await tempRoot();
    await mkdir(join(root, 'var'), { recursive: true });
    await writeFile(join(root, 'var/lib'), 'not a folder');
    const error = await assertStateWritable(new RealHost(root), 'nothing was read or mailed').catch((e: unknown) => e as { message: string; exitCode: number });
    expect(error).toMatchObject({ exitCode: 73 });
    expect(error!.message).toMatch(/cannot write .*\/var\/lib\/zimbra-harden .*nothing was read or mailed/);
    await expect(assertStateWritable(new RealHost(await tempRoot()), 'x')).resolves.toBeUndefined();
  });
});
