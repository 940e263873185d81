import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPolicyDatabase, lastSubnet } from '../../src/simulation/cbpolicyd-schema.js';
import { run, sandbox } from './helpers.js';

const DB = '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb';

function open(file: string) {
  return new Database(file, { readonly: true });
}

describe('createPolicyDatabase', () => {
  it('creates the PolicyD tables with their stock rows', () => {
    const db = new Database(':memory:');
    createPolicyDatabase(db, { domains: ['example.com'], myNetworks: {}, seedInternal: false });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      'access_control',
      'accounting',
      'accounting_tracking',
      'amavis_rules',
      'checkhelo',
      'checkhelo_blacklist',
      'checkhelo_tracking',
      'checkhelo_whitelist',
      'checkspf',
      'greylisting',
      'greylisting_autoblacklist',
      'greylisting_autowhitelist',
      'greylisting_tracking',
      'greylisting_whitelist',
      'policies',
      'policy_group_members',
      'policy_groups',
      'policy_members',
      'quotas',
      'quotas_limits',
      'quotas_tracking',
      'session_tracking',
    ]);
    expect(db.prepare('SELECT ID, Name, Priority, Disabled FROM policies ORDER BY ID').all()).toEqual([
      { ID: 1, Name: 'Default', Priority: 0, Disabled: 0 },
      { ID: 2, Name: 'Default Outbound', Priority: 10, Disabled: 0 },
      { ID: 3, Name: 'Default Inbound', Priority: 10, Disabled: 0 },
      { ID: 4, Name: 'Default Internal', Priority: 20, Disabled: 0 },
      { ID: 5, Name: 'Test', Priority: 50, Disabled: 0 },
    ]);
    expect(db.prepare('SELECT PolicyID, Source, Destination FROM policy_members ORDER BY ID').all()).toEqual([
      { PolicyID: 1, Source: null, Destination: null },
      { PolicyID: 2, Source: '%internal_ips,%internal_domains', Destination: '!%internal_domains' },
      { PolicyID: 3, Source: '!%internal_ips,!%internal_domains', Destination: '%internal_domains' },
      { PolicyID: 4, Source: '%internal_ips,%internal_domains', Destination: '%internal_domains' },
      { PolicyID: 5, Source: '@example.net', Destination: null },
    ]);
    expect(db.prepare('SELECT PolicyGroupID, Member FROM policy_group_members ORDER BY ID').all()).toEqual([
      { PolicyGroupID: 1, Member: '10.0.0.0/8' },
      { PolicyGroupID: 2, Member: '@example.org' },
      { PolicyGroupID: 2, Member: '@example.com' },
    ]);
    expect(db.prepare('SELECT ID, PolicyID, Name, Track, Period, Verdict, LastQuota, Disabled FROM quotas ORDER BY ID').all()).toEqual([
      { ID: 1, PolicyID: 5, Name: 'Recipient quotas', Track: 'Recipient:user@domain', Period: 3600, Verdict: 'REJECT', LastQuota: 0, Disabled: 0 },
      { ID: 2, PolicyID: 5, Name: 'Quota on all /24s', Track: 'SenderIP:/24', Period: 3600, Verdict: 'REJECT', LastQuota: 0, Disabled: 0 },
    ]);
    expect(db.prepare('SELECT ID, QuotasID, Type, CounterLimit FROM quotas_limits ORDER BY ID').all()).toEqual([
      { ID: 1, QuotasID: 1, Type: 'MessageCount', CounterLimit: 10 },
      { ID: 2, QuotasID: 1, Type: 'MessageCumulativeSize', CounterLimit: 8000 },
      { ID: 3, QuotasID: 2, Type: 'MessageCount', CounterLimit: 12 },
    ]);
    expect(db.prepare('SELECT COUNT(*) FROM access_control').pluck().get()).toBe(0);
    // A new quota and limit get the next IDs, as community scripts assume.
    const q = db.prepare("INSERT INTO quotas (PolicyID,Name,Track,Period,Verdict) VALUES (1,'x','Sender:user@domain',3600,'DEFER')").run();
    expect(q.lastInsertRowid).toBe(3);
    expect(db.prepare("INSERT INTO quotas_limits (QuotasID,Type,CounterLimit) VALUES (3,'MessageCount',99)").run().lastInsertRowid).toBe(4);
    const unique = () => db.prepare("INSERT INTO quotas_tracking (QuotasLimitsID,TrackKey,Counter) VALUES (4,'Sender:a@b',1)").run();
    unique();
    expect(unique).toThrow(/UNIQUE/);
  });

  it('8.8.8+ seeding: every domain and the last subnet of zimbraMtaMyNetworks (global and server)', () => {
    const db = new Database(':memory:');
    createPolicyDatabase(db, {
      domains: ['example.com', 'example.org'],
      myNetworks: { global: '127.0.0.0/8 10.0.0.0/24', server: '127.0.0.0/8 [::1]/128 192.168.5.0/24' },
      seedInternal: true,
    });
    const rows = db.prepare('SELECT PolicyGroupID, Member FROM policy_group_members WHERE ID > 3 ORDER BY ID').all();
    expect(rows).toEqual([
      { PolicyGroupID: 2, Member: '@example.com' },
      { PolicyGroupID: 2, Member: '@example.org' },
      { PolicyGroupID: 1, Member: '10.0.0.0/24' },
      { PolicyGroupID: 1, Member: '192.168.5.0/24' },
    ]);
  });

  it('reproduces the shell pipeline on odd values', () => {
    expect(lastSubnet(undefined)).toBe('');
    expect(lastSubnet('127.0.0.0/8')).toBe('127.0.0.0/8');
    expect(lastSubnet('127.0.0.0/8 10.1.0.0/16')).toBe('10.1.0.0/16');
  });
});

describe('zmcbpolicydctl', () => {
  it('start creates the database with the stock rows (8.6: no seeding), status reports it', async () => {
    const info = await sandbox('8.6.0');
    expect(existsSync(path.join(info.root, DB))).toBe(false);
    const before = await run(info, 'zmcbpolicydctl', ['status']);
    expect(before).toMatchObject({ exitCode: 1, stdout: 'policyd is not running.\n' });
    const start = await run(info, 'zmcbpolicydctl', ['start']);
    expect(start.exitCode).toBe(0);
    expect(start.stdout).toBe('Starting policyd...Converting policyd database templates to sqlite...done.\nCreating sqlite database...done.\ndone.\n');
    const db = open(path.join(info.root, DB));
    expect(db.prepare('SELECT COUNT(*) FROM policies').pluck().get()).toBe(5);
    expect(db.prepare('SELECT Member FROM policy_group_members ORDER BY ID').pluck().all()).toEqual(['10.0.0.0/8', '@example.org', '@example.com']);
    db.close();
    expect(await run(info, 'zmcbpolicydctl', ['status'])).toMatchObject({ exitCode: 0, stdout: 'policyd is running.\n' });
    expect((await run(info, 'zmcbpolicydctl', ['start'])).stdout).toBe('Starting policyd...policyd is already running.\n');
    expect((await run(info, 'zmcbpolicydctl', ['stop'])).stdout).toBe('Stopping policyd... done.\n');
    expect((await run(info, 'zmcbpolicydctl', ['status'])).exitCode).toBe(1);
  });

  it('8.8.15: zmcbpolicydinit seeds internal_domains and internal_ips; an existing DB is kept', async () => {
    const info = await sandbox('8.8.15', { domains: ['example.com', 'example.net'] });
    const start = await run(info, 'zmcbpolicydctl', ['start']);
    expect(start.stdout).toContain('Adding Domains...done.\n');
    const file = path.join(info.root, DB);
    let db = open(file);
    expect(db.prepare('SELECT PolicyGroupID, Member FROM policy_group_members WHERE ID > 3 ORDER BY ID').all()).toEqual([
      { PolicyGroupID: 2, Member: '@example.com' },
      { PolicyGroupID: 2, Member: '@example.net' },
      { PolicyGroupID: 1, Member: '10.0.0.0/24' },
      { PolicyGroupID: 1, Member: '10.0.0.0/24' },
    ]);
    db.close();
    db = new Database(file);
    db.prepare("INSERT INTO quotas (PolicyID,Name,Track,Period,Verdict) VALUES (1,'Delivery Per User','Sender:user@domain',3600,'DEFER')").run();
    db.close();
    const restart = await run(info, 'zmcbpolicydctl', ['restart']);
    expect(restart.stdout).toBe('Stopping policyd... done.\nStarting policyd...done.\n');
    db = open(file);
    expect(db.prepare("SELECT COUNT(*) FROM quotas WHERE Name='Delivery Per User'").pluck().get()).toBe(1);
    db.close();
    const init = await run(info, 'zmcbpolicydinit', []);
    expect(init).toMatchObject({ exitCode: 1, stdout: 'Must use -force to overwrite existing database.\n' });
  });
});
