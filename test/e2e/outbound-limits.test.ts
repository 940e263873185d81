import Database from 'better-sqlite3';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { readLdap, writeLdap } from '../../src/simulation/sandbox/state.js';
import { appliedSandbox, cli, fingerprint, sandbox } from '../helpers/sandbox.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
const DB = '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb';

function rows<T = Record<string, unknown>>(root: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(root, DB), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const limits = (root: string) =>
  rows(root, "SELECT p.Name AS policy, q.Name AS quota, q.Track AS track, l.CounterLimit AS counterLimit, p.Disabled + q.Disabled + l.Disabled AS disabled FROM quotas_limits l JOIN quotas q ON q.ID = l.QuotasID JOIN policies p ON p.ID = q.PolicyID WHERE p.Name LIKE 'zimbra-harden:%' OR q.Name = 'Delivery Per User' ORDER BY p.Name");

async function restarts(root: string) {
  return (await readCalls(root)).filter((c) => c.argv.includes('restart')).map((c) => c.tool);
}

describe('outbound limits on a simulated host', () => {
  it('a fresh server gets its quota rows once the restart has created the database; audit is clean; a second apply changes nothing', async () => {
    const box = await sandbox('8.8.15');
    const plan = await cli(['--root', box.root, 'plan', ...CATCH_ALL]);
    expect(plan.stdout).toMatch(/change\s+policyd-quota\s+\/opt\/zimbra\/data\/cbpolicyd\/db\/cbpolicyd.sqlitedb\n.*cbpolicyd has never started/);
    expect(plan.stdout).toContain('SMTP AUTH, at most 100 recipients per hour per login: port 25: 50, submission 587: 100, smtps 465: 100');

    const first = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout.indexOf('ran zmcbpolicydctl restart')).toBeLessThan(first.stdout.indexOf('create policy "zimbra-harden: authenticated senders"'));
    expect(limits(box.root)).toEqual([
      { policy: 'zimbra-harden: authenticated senders', quota: 'zimbra-harden: per SMTP AUTH login', track: 'SASLUsername', counterLimit: 99, disabled: 0 },
      { policy: 'zimbra-harden: webmail', quota: 'zimbra-harden: per webmail sender', track: 'Sender:user@domain', counterLimit: 199, disabled: 0 },
    ]);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(0);
    expect(audit.stdout).toMatch(/ok\s+policyd-quota\s+\/opt.*\n.*outbound limits hold: at most 100 recipients per hour per account/);
    expect(audit.stdout).toMatch(/skip\s+sender-login-match[^\n]*\n[^\n]*off \(not asked for\)/);

    const untouched = await fingerprint(box.root);
    const calls = (await readCalls(box.root)).length;
    const second = await cli(['--root', box.root, 'apply', '--yes']);
    expect(second.stdout).toMatch(/changed=0/);
    expect((await readCalls(box.root)).slice(calls).filter((c) => c.argv.includes('restart'))).toEqual([]);
    expect(await fingerprint(box.root)).toEqual(untouched);
  });

  it('repairs drift in the rows without any restart', async () => {
    const box = await appliedSandbox('10.1.0', {}, CATCH_ALL);
    const db = new Database(join(box.root, DB));
    db.prepare("UPDATE quotas_limits SET CounterLimit = 5000 WHERE QuotasID = (SELECT ID FROM quotas WHERE Name = 'zimbra-harden: per SMTP AUTH login')").run();
    db.prepare("UPDATE policies SET Disabled = 1 WHERE Name = 'zimbra-harden: webmail'").run();
    db.close();
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(2);
    expect(audit.stdout).toMatch(/CounterLimit 5000 → 99/);
    expect(audit.stdout).toMatch(/policy "zimbra-harden: webmail": disabled → enabled/);
    const before = await restarts(box.root);
    const fix = await cli(['--root', box.root, 'apply', '--yes']);
    expect(fix.exitCode).toBe(0);
    expect(fix.stdout).toMatch(/Applied: ok=\d+ changed=1 /);
    expect(await restarts(box.root)).toEqual(before);
    expect(limits(box.root).map((l) => [l.counterLimit, l.disabled])).toEqual([
      [99, 0],
      [199, 0],
    ]);
  });

  it('waits for another writer of the policy database, then fails with nothing written', async () => {
    const box = await appliedSandbox('8.8.15', {}, CATCH_ALL);
    const other = new Database(join(box.root, DB));
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const locked = await cli(['--root', box.root, 'apply', '--yes', '--quota', '60'], { env: { NO_COLOR: '1', CI: '', ZIMBRA_HARDEN_DB_BUSY_TIMEOUT_MS: '700' } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(locked.exitCode).toBe(1);
      expect(locked.stdout).toMatch(/failed\s+policyd-quota .*is locked by another writer \(waited 0\.7 s\): nothing was written/);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(limits(box.root).map((l) => l.counterLimit)).toEqual([99, 199]);
  });

  it("--quota-style recipe writes the recipe's quota and retires the per-account policies", async () => {
    const box = await sandbox('8.6.0');
    expect((await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL])).exitCode).toBe(0);
    const recipe = await cli(['--root', box.root, 'apply', '--yes', '--quota-style', 'recipe', '--quota', '300']);
    expect(recipe.exitCode).toBe(0);
    expect(limits(box.root)).toEqual([
      { policy: 'Default', quota: 'Delivery Per User', track: 'Sender:user@domain', counterLimit: 300, disabled: 0 },
      { policy: 'zimbra-harden: authenticated senders', quota: 'zimbra-harden: per SMTP AUTH login', track: 'SASLUsername', counterLimit: 99, disabled: 1 },
      { policy: 'zimbra-harden: webmail', quota: 'zimbra-harden: per webmail sender', track: 'Sender:user@domain', counterLimit: 199, disabled: 1 },
    ]);
    expect(rows(box.root, "SELECT Data, LastQuota, Period, Verdict FROM quotas WHERE Name = 'Delivery Per User'")).toEqual([{ Data: 'Maximum 300 emails delivery per hour', LastQuota: 1, Period: 3600, Verdict: 'DEFER' }]);
    expect((await cli(['--root', box.root, 'audit', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('turns the Quotas module back on when it is off', async () => {
    const box = await sandbox('8.8.15');
    const ldap = await readLdap(box.root);
    ldap.config.zimbraCBPolicydQuotasEnabled = ['FALSE'];
    await writeLdap(box.root, ldap);
    const result = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/zimbraCBPolicydQuotasEnabled is FALSE: cbpolicyd ignores every quota/);
    expect((await readLdap(box.root)).servers[box.hostname]?.zimbraCBPolicydQuotasEnabled).toEqual(['TRUE']);
    expect(await readFile(join(box.root, '/opt/zimbra/conf/cbpolicyd.conf'), 'utf8')).toMatch(/\[Quotas\]\nenable=1/);
    expect((await cli(['--root', box.root, 'audit', '--detailed-exitcode'])).exitCode).toBe(0);
  });
});
