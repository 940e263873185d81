import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH_POLICY, perAccountDesign, recipeDesign, RECIPE_QUOTA, SUBMITTERS_GROUP, WEBMAIL_POLICY, type DesignInput } from '../../src/cbpolicyd/design.js';
import { readDrift, writeRows } from '../../src/cbpolicyd/quota-rows.js';
import { createPolicyDatabase } from '../../src/simulation/cbpolicyd-schema.js';

const LABEL = '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb';
const INPUT: DesignInput = {
  limit: 100,
  period: 3600,
  sasl: { smtp: 2, submission: 1, smtps: 1 },
  mynetworks: { smtp: 2, submission: 0, smtps: 0 },
  submitters: ['127.0.0.0/8', '10.0.0.0/24'],
};
const DESIGN = perAccountDesign(INPUT);

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A policy DB exactly as zmcbpolicydinit leaves it, in a temporary file. */
function stockDb(prepare?: (db: Database.Database) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'zh-quota-'));
  dirs.push(dir);
  const file = join(dir, 'cbpolicyd.sqlitedb');
  const db = new Database(file);
  createPolicyDatabase(db, { domains: ['a.example'], myNetworks: {}, seedInternal: false });
  prepare?.(db);
  db.close();
  return file;
}

function query<T = Record<string, unknown>>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const dump = (file: string) =>
  ['policies', 'policy_members', 'policy_groups', 'policy_group_members', 'quotas', 'quotas_limits'].map((t) => query(file, `SELECT * FROM ${t} ORDER BY ID`));

/** The limit row of a quota, found by the names of its policy and quota. */
function limitOf(file: string, policy: string, quota: string) {
  return query<{ CounterLimit: number; Disabled: number; Comment: string }>(
    file,
    `SELECT l.CounterLimit, l.Disabled, l.Comment FROM quotas_limits l JOIN quotas q ON q.ID = l.QuotasID JOIN policies p ON p.ID = q.PolicyID WHERE p.Name = ? AND q.Name = ? AND l.Type = 'MessageCount'`,
    policy,
    quota,
  );
}

describe('per-account quota rows on a real SQLite policy database', () => {
  it('are created once, every row enabled and commented, and a re-run changes nothing', () => {
    const file = stockDb();
    expect(readDrift(file, LABEL, DESIGN).changes.length).toBeGreaterThan(5);
    const created = writeRows(file, LABEL, DESIGN);
    expect(created).toContain(`create policy "${AUTH_POLICY}"`);

    const policies = query<{ Name: string; Priority: number; Disabled: number; Description: string }>(file, "SELECT * FROM policies WHERE Name LIKE 'zimbra-harden:%' ORDER BY Name");
    expect(policies.map((p) => [p.Name, p.Priority, p.Disabled])).toEqual([
      [AUTH_POLICY, 60, 0],
      [WEBMAIL_POLICY, 60, 0],
    ]);
    expect(query(file, 'SELECT m.Source, m.Destination, m.Disabled FROM policy_members m JOIN policies p ON p.ID = m.PolicyID WHERE p.Name = ?', AUTH_POLICY)).toEqual([
      { Source: '$*', Destination: null, Disabled: 0 },
    ]);
    expect(query(file, 'SELECT m.Source FROM policy_members m JOIN policies p ON p.ID = m.PolicyID WHERE p.Name = ?', WEBMAIL_POLICY)).toEqual([
      { Source: `%${SUBMITTERS_GROUP},$-` },
    ]);
    expect(query(file, 'SELECT gm.Member FROM policy_group_members gm JOIN policy_groups g ON g.ID = gm.PolicyGroupID WHERE g.Name = ? AND gm.Disabled = 0', SUBMITTERS_GROUP)).toEqual([
      { Member: '127.0.0.0/8' },
      { Member: '10.0.0.0/24' },
    ]);
    const quotas = query<{ Track: string; Verdict: string; Period: number; LastQuota: number; Disabled: number }>(
      file,
      "SELECT q.* FROM quotas q JOIN policies p ON p.ID = q.PolicyID WHERE p.Name LIKE 'zimbra-harden:%' ORDER BY q.Name",
    );
    expect(quotas.map((q) => [q.Track, q.Verdict, q.Period, q.LastQuota, q.Disabled])).toEqual([
      ['SASLUsername', 'DEFER', 3600, 0, 0],
      ['Sender:user@domain', 'DEFER', 3600, 0, 0],
    ]);
    expect(limitOf(file, AUTH_POLICY, 'zimbra-harden: per SMTP AUTH login')).toEqual([expect.objectContaining({ CounterLimit: 99, Disabled: 0 })]);
    expect(limitOf(file, WEBMAIL_POLICY, 'zimbra-harden: per webmail sender')).toEqual([expect.objectContaining({ CounterLimit: 199, Disabled: 0 })]);
    const comments = query<{ c: string | null }>(
      file,
      "SELECT Comment AS c FROM quotas WHERE Name LIKE 'zimbra-harden:%' UNION ALL SELECT l.Comment FROM quotas_limits l JOIN quotas q ON q.ID = l.QuotasID WHERE q.Name LIKE 'zimbra-harden:%' UNION ALL SELECT Comment FROM policy_members WHERE Comment IS NOT NULL UNION ALL SELECT Comment FROM policy_group_members WHERE PolicyGroupID = (SELECT ID FROM policy_groups WHERE Name = ?)",
      SUBMITTERS_GROUP,
    );
    expect(comments.length).toBe(8);
    for (const { c } of comments) expect(c).toMatch(/^zimbra-harden: .{20,}/);
    expect(limitOf(file, AUTH_POLICY, 'zimbra-harden: per SMTP AUTH login')[0]!.Comment).toMatch(/lets exactly 100 recipients through/);

    const before = dump(file);
    expect(writeRows(file, LABEL, DESIGN)).toEqual([]);
    expect(readDrift(file, LABEL, DESIGN)).toEqual({ changes: [], shadows: [] });
    expect(dump(file)).toEqual(before);
  });

  it('finds its rows by name whatever their IDs, and leaves the stock rows alone', () => {
    const file = stockDb((db) => {
      db.exec("INSERT INTO policies (Name, Priority, Description) VALUES ('site policy', 70, 'an admin row')");
      db.exec("INSERT INTO quotas (PolicyID, Name, Track, Period, Verdict) VALUES (6, 'site quota', 'Policy', 60, 'HOLD')");
    });
    const stock = query(file, "SELECT * FROM policies WHERE Name NOT LIKE 'zimbra-harden:%' ORDER BY ID");
    writeRows(file, LABEL, DESIGN);
    const [auth] = query<{ ID: number }>(file, 'SELECT ID FROM policies WHERE Name = ?', AUTH_POLICY);
    expect(auth!.ID).toBe(7);
    expect(query(file, 'SELECT PolicyID FROM quotas WHERE Name = ?', 'zimbra-harden: per SMTP AUTH login')).toEqual([{ PolicyID: 7 }]);
    expect(query(file, "SELECT * FROM policies WHERE Name NOT LIKE 'zimbra-harden:%' ORDER BY ID")).toEqual(stock);
    expect(query(file, "SELECT COUNT(*) AS n FROM quotas WHERE Name IN ('Recipient quotas', 'Quota on all /24s', 'site quota') AND Disabled = 0")).toEqual([{ n: 3 }]);
  });

  it('detects a changed limit, a disabled row and a missing member, then repairs them', () => {
    const file = stockDb();
    writeRows(file, LABEL, DESIGN);
    const db = new Database(file);
    db.prepare("UPDATE quotas_limits SET CounterLimit = 500 WHERE Comment LIKE 'zimbra-harden: CounterLimit 99 %'").run();
    db.prepare('UPDATE quotas SET Disabled = 1 WHERE Name = ?').run('zimbra-harden: per webmail sender');
    db.prepare("DELETE FROM policy_members WHERE Source = '$*'").run();
    db.prepare("UPDATE policy_group_members SET Disabled = 1 WHERE Member = '10.0.0.0/24'").run();
    db.close();

    const drift = readDrift(file, LABEL, DESIGN).changes;
    expect(drift).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MessageCount limit of quota "zimbra-harden: per SMTP AUTH login" .*CounterLimit 500 → 99/),
        expect.stringMatching(/^quota "zimbra-harden: per webmail sender" .*disabled → enabled/),
        expect.stringMatching(/^create member \$\* → any of policy "zimbra-harden: authenticated senders"/),
        expect.stringMatching(/^member 10\.0\.0\.0\/24 of group .*disabled → enabled/),
      ]),
    );
    expect(drift).toHaveLength(4);
    expect(writeRows(file, LABEL, DESIGN)).toHaveLength(4);
    expect(readDrift(file, LABEL, DESIGN).changes).toEqual([]);
    expect(limitOf(file, AUTH_POLICY, 'zimbra-harden: per SMTP AUTH login')[0]!.CounterLimit).toBe(99);
  });

  it('disables members that are not part of the design (the policy is ours)', () => {
    const file = stockDb();
    writeRows(file, LABEL, DESIGN);
    const db = new Database(file);
    db.prepare("INSERT INTO policy_members (PolicyID, Source, Destination) VALUES ((SELECT ID FROM policies WHERE Name = ?), NULL, NULL)").run(AUTH_POLICY);
    db.close();
    expect(readDrift(file, LABEL, DESIGN).changes).toEqual([expect.stringMatching(/^member any → any of policy .*not part of the design.*enabled → disabled/)]);
    writeRows(file, LABEL, DESIGN);
    expect(query(file, 'SELECT COUNT(*) AS n FROM policy_members WHERE Source IS NULL AND Disabled = 1')).toEqual([{ n: 1 }]);
  });

  it('waits for another writer, then fails cleanly with nothing written', () => {
    const file = stockDb();
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.exec("UPDATE policies SET Description = 'being edited' WHERE Name = 'Test'");
    const started = Date.now();
    expect(() => writeRows(file, LABEL, DESIGN, 400)).toThrow(/is locked by another writer \(waited 0\.4 s\): nothing was written/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    other.exec('ROLLBACK');
    other.close();
    expect(query(file, "SELECT COUNT(*) AS n FROM policies WHERE Name LIKE 'zimbra-harden:%'")).toEqual([{ n: 0 }]);
    expect(query(file, 'SELECT COUNT(*) AS n FROM policy_groups')).toEqual([{ n: 2 }]);
    expect(writeRows(file, LABEL, DESIGN).length).toBeGreaterThan(0);
  });

  it('names the file when it is not an SQLite database or is corrupt', () => {
    const file = stockDb();
    writeFileSync(file, 'this is not a database, just text that someone copied over it\n'.repeat(200));
    expect(() => readDrift(file, LABEL, DESIGN)).toThrow(`${LABEL} is corrupt or not an SQLite database`);
    expect(() => writeRows(file, LABEL, DESIGN)).toThrow(`${LABEL} is corrupt or not an SQLite database`);

    const damaged = stockDb();
    const bytes = readFileSync(damaged);
    bytes.fill(0xa5, 4096 * 2, 4096 * 6); // pages 3-6: table b-trees overwritten
    writeFileSync(damaged, bytes);
    expect(() => writeRows(damaged, LABEL, DESIGN)).toThrow(new RegExp(`^${LABEL} is corrupt`));
  });

  it('refuses a SQLite database that is not cbpolicyd\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zh-quota-'));
    dirs.push(dir);
    const file = join(dir, 'other.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    db.close();
    expect(() => writeRows(file, LABEL, DESIGN)).toThrow(`${LABEL} is not a cbpolicyd database: it has no table policies`);
    expect(query(file, "SELECT name FROM sqlite_master WHERE type = 'table'")).toEqual([{ name: 'notes' }]);

    const old = stockDb((d) => d.exec('ALTER TABLE quotas DROP COLUMN LastQuota'));
    expect(() => readDrift(old, LABEL, DESIGN)).toThrow(`${LABEL} is not a cbpolicyd database: table quotas has no column LastQuota`);
  });

  it('says when the database does not exist yet instead of creating it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zh-quota-'));
    dirs.push(dir);
    expect(() => writeRows(join(dir, 'missing.sqlitedb'), LABEL, DESIGN)).toThrow(/does not exist: cbpolicyd creates it when it first starts/);
  });

  it('warns about quotas that stop processing before ours', () => {
    const file = stockDb((db) => {
      db.exec("INSERT INTO quotas (PolicyID, Name, Track, Period, Verdict, LastQuota) VALUES (1, 'Hand-made', 'Sender:user@domain', 3600, 'DEFER', 1)");
    });
    expect(readDrift(file, LABEL, DESIGN).shadows).toEqual([expect.stringContaining('quota "Hand-made" of policy "Default" (priority 0) says "stop processing here"')]);
  });
});

describe('--quota-style recipe', () => {
  const RECIPE = recipeDesign(INPUT);

  it("writes the recipe's rows: Delivery Per User on Default, Sender:user@domain, 3600 s, DEFER, stop here, CounterLimit N", () => {
    const file = stockDb();
    writeRows(file, LABEL, RECIPE);
    const [quota] = query<Record<string, unknown>>(file, 'SELECT q.* FROM quotas q JOIN policies p ON p.ID = q.PolicyID WHERE p.Name = ? AND q.Name = ?', 'Default', RECIPE_QUOTA);
    expect(quota).toMatchObject({ Track: 'Sender:user@domain', Period: 3600, Verdict: 'DEFER', Data: 'Maximum 100 emails delivery per hour', LastQuota: 1, Disabled: 0 });
    expect(quota!.Comment).toMatch(/inbound included/);
    expect(limitOf(file, 'Default', RECIPE_QUOTA)).toEqual([expect.objectContaining({ CounterLimit: 100, Disabled: 0 })]);
    expect(limitOf(file, 'Default', RECIPE_QUOTA)[0]!.Comment).toMatch(/lets 101 recipients through/);
    expect(writeRows(file, LABEL, RECIPE)).toEqual([]);
  });

  it('switching styles disables what the other style wrote, and back', () => {
    const file = stockDb();
    writeRows(file, LABEL, DESIGN);
    expect(writeRows(file, LABEL, RECIPE)).toEqual(expect.arrayContaining([expect.stringMatching(/^policy "zimbra-harden: webmail" .*enabled → disabled/)]));
    expect(query(file, "SELECT Name, Disabled FROM policies WHERE Name LIKE 'zimbra-harden:%' ORDER BY Name")).toEqual([
      { Name: AUTH_POLICY, Disabled: 1 },
      { Name: WEBMAIL_POLICY, Disabled: 1 },
    ]);
    writeRows(file, LABEL, DESIGN);
    expect(query(file, 'SELECT Disabled FROM quotas WHERE Name = ?', RECIPE_QUOTA)).toEqual([{ Disabled: 1 }]);
    expect(query(file, "SELECT Disabled FROM policies WHERE Name LIKE 'zimbra-harden:%'")).toEqual([{ Disabled: 0 }, { Disabled: 0 }]);
    expect(readDrift(file, LABEL, DESIGN).changes).toEqual([]);
  });

  it('fails clearly when the stock Default policy is gone', () => {
    const file = stockDb((db) => db.exec("UPDATE policies SET Name = 'Renamed' WHERE Name = 'Default'"));
    expect(() => readDrift(file, LABEL, RECIPE)).toThrow(/has no policy "Default"/);
  });
});
