import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL_IDS } from '../../src/controls/ids.js';
import { tryLock } from '../../src/core/lock.js';
import { RealHost } from '../../src/host/real-host.js';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { appliedSandbox, cli, fingerprint, sandbox } from '../helpers/sandbox.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];

async function restarts(root: string) {
  return (await readCalls(root)).filter((c) => c.argv.includes('restart')).map((c) => c.tool);
}

// Each bad value's message is checked on the flag parser (test/unit/settings.test.ts); this is the CLI's side of it.
it('a bad flag value exits 64 with one line naming the flag, and changes nothing', async () => {
  const box = await sandbox('8.8.15');
  const before = await fingerprint(box.root);
  const result = await cli(['--root', box.root, 'apply', '--yes', '--catch-all', 'a.example;touch x=admin@a.example'], { cwd: box.root });
  expect(result.exitCode).toBe(64);
  expect(result.stderr).toMatch(/--catch-all: "a.example;touch x" is not a domain name/);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(await fingerprint(box.root)).toEqual(before);
  expect(await readCalls(box.root)).toEqual([]);
});

describe('apply', () => {
  it('with --restart none changes attributes but restarts nothing, and says what to run', async () => {
    const box = await sandbox('8.8.15');
    const result = await cli(['--root', box.root, 'apply', '--yes', '--restart', 'none', ...CATCH_ALL]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/zmmtactl restart && zmcbpolicydctl restart/);
    expect(await restarts(box.root)).toEqual([]);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(2);
    expect(audit.stdout).toMatch(/postfix-policy/);
  });

  it('writes the config it used, so a later apply needs no flags; it refuses to run while another apply holds the lock, and a lock file left by a dead process does not block', { timeout: 180_000 }, async () => {
    const box = await appliedSandbox('8.8.15', {}, CATCH_ALL);
    const config = JSON.parse(await readFile(join(box.root, 'etc/zimbra-harden/config.json'), 'utf8'));
    expect(config.catchAll).toEqual([
      { domain: 'a.example', account: 'admin@a.example' },
      { domain: 'b.example', account: 'bob@b.example' },
    ]);

    const lockPath = '/var/lib/zimbra-harden/apply.lock';
    const held = await tryLock(new RealHost(box.root), lockPath);
    expect(held).toBeDefined();
    const blocked = await cli(['--root', box.root, 'apply', '--yes']);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr).toMatch(/another zimbra-harden apply is running \(pid \d+, lock \/var\/lib\/zimbra-harden\/apply.lock\)/);
    await held!.release();
    // the file is still there, naming a pid (ours, alive): only a held flock blocks
    expect(await readFile(join(box.root, lockPath), 'utf8')).toBe(`${process.pid}\n`);

    const again = await cli(['--root', box.root, 'apply', '--yes']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/changed=0/);
  });

  // Only the monitor's cron job is looked at (every other control skipped, as the config saved then says):
  // the demo applies the whole hardening with a report address and audits it clean.
  it('installs the log monitor cron job when a report address is given, and audits it', async () => {
    const box = await sandbox('8.8.15');
    const others = CONTROL_IDS.filter((id) => id !== 'monitor-cron').flatMap((id) => ['--skip', id]);
    const result = await cli(['--root', box.root, 'apply', '--yes', ...others, '--report-to', 'admin@a.example', '--monitor-interval', '15']);
    expect(result.exitCode).toBe(0);
    const cron = await readFile(join(box.root, 'etc/cron.d/zimbra-harden'), 'utf8');
    expect(cron).toMatch(/^\*\/15 \* \* \* \* root '.+node' '.+cli\.js' --root '.+' monitor --quiet$/m);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(0);
    expect(audit.stdout).toMatch(/ok\s+monitor-cron/);
    await writeFile(join(box.root, 'etc/cron.d/zimbra-harden'), cron.replace('*/15', '*/30'));
    const drift = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(drift.exitCode).toBe(2);
    expect(drift.stdout).toMatch(/drift\s+monitor-cron/);
  });

  it('says clearly when no Zimbra is there', async () => {
    const result = await cli(['--root', '/nonexistent-zimbra-root', 'audit']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/no Zimbra found under \/nonexistent-zimbra-root: \/opt\/zimbra\/bin\/zmcontrol does not exist/);
  });
});
