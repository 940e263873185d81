import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMtaNode, createSandbox, type SandboxInfo } from '../../src/simulation/sandbox/create.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { cli } from '../helpers/sandbox.js';
import { run } from './helpers.js';

const parents: string[] = [];
afterAll(() => Promise.all(parents.map((p) => rm(p, { recursive: true, force: true }))));

/** A first server (every service) and an MTA-only node joined to its install. */
async function install(): Promise<{ main: SandboxInfo; mta: SandboxInfo }> {
  const parent = await mkdtemp(path.join(tmpdir(), 'zh-multi-'));
  parents.push(parent);
  const main = await createSandbox(path.join(parent, 'mail'), { version: '8.8.15', domains: ['a.example', 'b.example'] });
  const mta = await createMtaNode(path.join(parent, 'mta2'), { join: main.root, hostname: 'mta2.a.example' });
  return { main, mta };
}

describe('an MTA-only node of a multi-server install', () => {
  it('shares the first server directory: both see both MTAs, and a change made from one is seen from the other', async () => {
    const { main, mta } = await install();
    for (const node of [main, mta]) {
      expect((await run(node, 'zmprov', ['-l', 'gas', 'mta'])).stdout).toBe('mail.a.example\nmta2.a.example\n');
    }
    expect((await run(mta, 'zmprov', ['-l', 'gas', 'mailbox'])).stdout).toBe('mail.a.example\n');
    const ms = await run(mta, 'zmprov', ['-l', 'ms', 'mta2.a.example', '+zimbraServiceEnabled', 'cbpolicyd']);
    expect(ms.exitCode).toBe(0);
    const seen = await run(main, 'zmprov', ['-l', 'gs', 'mta2.a.example', 'zimbraServiceEnabled']);
    expect(seen.stdout).toContain('zimbraServiceEnabled: cbpolicyd\n');
    expect(Object.keys((await readLdap(mta.root)).servers)).toEqual(['mail.a.example', 'mta2.a.example']);
  });

  it('runs the MTA services only, and has no Apache nor PHP', async () => {
    const { mta } = await install();
    const status = await run(mta, 'zmcontrol', ['status']);
    expect(status.stdout).toMatch(/^Host mta2\.a\.example\n/);
    expect(status.stdout).toContain('\tmta ');
    expect(status.stdout).not.toMatch(/mailbox|ldap|logger|spell/);
    for (const p of ['/opt/zimbra/conf/httpd.conf', '/opt/zimbra/common/bin/apachectl', '/opt/zimbra/common/bin/php']) {
      expect(existsSync(path.join(mta.root, p)), p).toBe(false);
    }
    const lc = await readFile(path.join(mta.root, 'opt/zimbra/conf/localconfig.xml'), 'utf8');
    expect(lc).toContain('<value>ldap://mail.a.example:389</value>');
    expect((await run(mta, 'postconf', ['-h', 'myhostname'])).stdout).toBe('mta2.a.example\n');
  });

  it('refuses a server name the install already has', async () => {
    const { main } = await install();
    const dir = await mkdtemp(path.join(tmpdir(), 'zh-multi-'));
    parents.push(dir);
    const twice = await cli(['sandbox', 'create', path.join(dir, 'again'), '--join', main.root, '--hostname', 'mail.a.example']);
    expect(twice.exitCode).toBe(64);
    expect(twice.stderr).toBe(`zimbra-harden: --hostname mail.a.example: the install of ${main.root} already has this server`);
  });

  it('hardens it and says that each MTA counts apart, k times the limit', async () => {
    const { main, mta } = await install();
    const apply = await cli(['--root', mta.root, 'apply', '-y', '--skip', 'catch-all', '--quota', '50']);
    expect(apply.exitCode, apply.stderr).toBe(0);
    expect(apply.stdout).toMatch(/skip\s+webui-db .*\n\s+no Zimbra PHP on this server/);
    expect(apply.stdout).toMatch(/skip\s+webui-exposure/);
    const audit = await cli(['--root', main.root, 'audit', '--quota', '50', '--skip', 'catch-all']);
    expect(audit.stdout).toContain('mail.a.example, mta2.a.example each count in their own cbpolicyd database: an account that sends through all 2 gets up to 2×50 = 100 recipients per hour');
    const alone = await cli(['--root', (await sandboxAlone()).root, 'audit', '--skip', 'catch-all']);
    expect(alone.stdout).not.toContain('each count in their own');
  });
});

async function sandboxAlone(): Promise<SandboxInfo> {
  const parent = await mkdtemp(path.join(tmpdir(), 'zh-multi-'));
  parents.push(parent);
  return createSandbox(path.join(parent, 'solo'), { version: '8.8.15', domains: ['a.example'] });
}

describe('--only', () => {
  it('runs the named controls and skips every other one; not with --skip, not an unknown id', async () => {
    const { main } = await install();
    const plan = await cli(['--root', main.root, '--json', 'plan', '--only', 'catch-all', '--catch-all', 'a.example=admin@a.example']);
    const items = plan.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; id?: string; status?: string });
    const changes = items.filter((i) => i.type === 'planned_change' && i.status === 'change').map((i) => i.id);
    expect(changes).toEqual(['catch-all']);
    const skipped = items.filter((i) => i.type === 'planned_change' && i.status === 'skip').map((i) => i.id);
    expect(skipped).toEqual(expect.arrayContaining(['cbpolicyd-service', 'postfix-policy', 'webui-db', 'policyd-quota', 'webui-exposure', 'monitor-cron']));
    const both = await cli(['--root', main.root, 'plan', '--only', 'catch-all', '--skip', 'webui-db']);
    expect(both.exitCode).toBe(64);
    expect(both.stderr).toBe('zimbra-harden: --only and --skip together: give one of them');
    const unknown = await cli(['--root', main.root, 'plan', '--only', 'restart']);
    expect(unknown.stderr).toMatch(/^zimbra-harden: --only restart: no such control \(known: catch-all, /);
  });
});
