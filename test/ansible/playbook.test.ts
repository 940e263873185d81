import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMtaNode, createSandbox } from '../../src/simulation/sandbox/create.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { CLI, fingerprint } from '../helpers/sandbox.js';

/**
 * The collection's example playbook (ansible/examples/site.yml), run by Debian's ansible-core
 * against two simulated nodes of one install: mail (mailbox, logger and MTA) and mta2 (MTA only).
 */
const REPO = path.join(import.meta.dirname, '../..');
const PLAYBOOK = path.join(REPO, 'ansible/examples/site.yml');
const TIMEOUT = 240_000;

let dir: string;
let mail: string;
let mta2: string;
let inventory: string;

interface TaskResult {
  changed: boolean;
  failed?: boolean;
  msg?: string;
  rc: number;
  cmd: string[];
  items: { id: string; subject: string; status: string; message: string }[];
}

interface Run {
  exitCode: number;
  stdout: string;
  /** Per host, the result of each task in order (from `-v` with one-line JSON results). */
  results: Record<string, TaskResult[]>;
  /** PLAY RECAP counts per host. */
  recap: Record<string, { ok: number; changed: number; failed: number }>;
}

async function playbook(...args: string[]): Promise<Run> {
  const result = await execa('ansible-playbook', ['-v', '-i', inventory, PLAYBOOK, ...args], {
    reject: false,
    env: {
      ANSIBLE_COLLECTIONS_PATH: path.join(REPO, 'ansible'),
      ANSIBLE_CALLBACK_RESULT_FORMAT: 'json',
      ANSIBLE_CALLBACK_FORMAT_PRETTY: 'false',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_LOCAL_TEMP: path.join(dir, 'ansible-tmp'),
      ANSIBLE_REMOTE_TEMP: path.join(dir, 'ansible-tmp'),
    },
  });
  const stdout = String(result.stdout);
  const results: Run['results'] = {};
  for (const m of stdout.matchAll(/^(?:ok|changed|fatal): \[(\w+)\](?:: FAILED!)? => (\{.*\})$/gm)) {
    (results[m[1] as string] ??= []).push(JSON.parse(m[2] as string) as TaskResult);
  }
  const recap: Run['recap'] = {};
  for (const m of stdout.matchAll(/^(\w+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/gm)) {
    recap[m[1] as string] = { ok: Number(m[2]), changed: Number(m[3]), failed: Number(m[4]) };
  }
  return { exitCode: result.exitCode ?? -1, stdout, results, recap };
}

const statuses = (r: TaskResult) => Object.fromEntries(r.items.filter((i) => i.status !== 'skip').map((i) => [`${i.id} ${i.subject}`, i.status]));

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zh-ansible-'));
  mail = (await createSandbox(path.join(dir, 'mail'), { version: '8.8.15', domains: ['a.example', 'b.example'] })).root;
  mta2 = (await createMtaNode(path.join(dir, 'mta2'), { join: mail, hostname: 'mta2.a.example' })).root;
  // The "installed" tool: this checkout's build, behind a wrapper as a package would put it in PATH.
  const executable = path.join(dir, 'zimbra-harden');
  await writeFile(executable, `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  await chmod(executable, 0o755);
  inventory = path.join(dir, 'inventory.json');
  const vars = {
    ansible_connection: 'local',
    ansible_become: false,
    ansible_python_interpreter: '/usr/bin/python3',
    zimbra_harden_executable: executable,
    zimbra_catch_all: [{ domain: 'a.example', account: 'admin@a.example' }],
    zimbra_report_to: 'admin@a.example',
    zimbra_quota: 100,
    zimbra_webui_allow: ['192.0.2.0/24'],
  };
  await writeFile(
    inventory,
    JSON.stringify({
      all: { vars, hosts: { mail: { zimbra_harden_root: mail }, mta2: { zimbra_harden_root: mta2 } } },
      zimbra_mailbox: { hosts: { mail: {} } },
      zimbra_logger: { hosts: { mail: {} } },
      zimbra_mta: { hosts: { mail: {}, mta2: {} } },
    }),
  );
}, TIMEOUT);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the example playbook on a simulated two-node install', () => {
  it('--check --diff reports what would change and shows the diffs, changing nothing', async () => {
    const before = { mail: await fingerprint(mail), mta2: await fingerprint(mta2) };
    const run = await playbook('--check', '--diff');
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.recap).toEqual({ mail: { ok: 2, changed: 2, failed: 0 }, mta2: { ok: 1, changed: 1, failed: 0 } });
    const [logger, mailMta] = run.results.mail!;
    expect(logger!.cmd).toEqual(expect.arrayContaining(['plan', '--detailed-exitcode', '--only', 'catch-all']));
    expect(statuses(logger!)).toMatchObject({ 'catch-all a.example': 'change', 'monitor-cron /etc/cron.d/zimbra-harden': 'change' });
    expect(statuses(mailMta!)).toMatchObject({ 'webui-db /opt/zimbra/common/share/webui/includes/config.php': 'change', 'webui-exposure /opt/zimbra/conf/httpd.conf': 'change' });
    expect(statuses(run.results.mta2![0]!)).toMatchObject({ 'cbpolicyd-service mta2.a.example': 'change', 'restart mta2.a.example': 'change' });
    expect(run.stdout).toContain('--- before: /opt/zimbra/common/share/webui/includes/config.php\n');
    expect(run.stdout).toContain('\n+$DB_DSN="sqlite:/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb";\n');
    expect(run.stdout).toContain('--- before: /opt/zimbra/conf/httpd.conf\n');
    expect(run.stdout).toContain('\n+    Require ip 127.0.0.1 ::1 192.0.2.0/24\n');
    expect({ mail: await fingerprint(mail), mta2: await fingerprint(mta2) }).toEqual(before);
  }, TIMEOUT);

  it('applies: changed on the first run, each control on the node it belongs to', async () => {
    const run = await playbook();
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.recap).toEqual({ mail: { ok: 2, changed: 2, failed: 0 }, mta2: { ok: 1, changed: 1, failed: 0 } });
    const ldap = await readLdap(mail);
    expect(ldap.accounts['admin@a.example']?.zimbraMailCatchAllAddress).toEqual(['@a.example']);
    expect(ldap.servers['mta2.a.example']?.zimbraServiceEnabled).toContain('cbpolicyd');
    expect(existsSync(path.join(mail, 'etc/cron.d/zimbra-harden'))).toBe(true);
    expect(existsSync(path.join(mta2, 'etc/cron.d/zimbra-harden'))).toBe(false);
    for (const root of [mail, mta2]) expect(existsSync(path.join(root, 'opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb')), root).toBe(true);
  }, TIMEOUT);

  it('is ok on the second run: nothing left to change', async () => {
    const run = await playbook();
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.recap).toEqual({ mail: { ok: 2, changed: 0, failed: 0 }, mta2: { ok: 1, changed: 0, failed: 0 } });
    expect(run.results.mta2![0]!.rc).toBe(0);
  }, TIMEOUT);

  it('state: audited reports drift as drift, never as a change, and changes nothing', async () => {
    const before = await fingerprint(mta2);
    const args = { state: 'audited', quota: 200, root: mta2, executable: path.join(dir, 'zimbra-harden') };
    const result = await execa('ansible', ['mta2', '-i', inventory, '-m', 'zimbra_harden.zimbra.harden', '-a', JSON.stringify(args)], {
      reject: false,
      env: { ANSIBLE_COLLECTIONS_PATH: path.join(REPO, 'ansible'), ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_STDOUT_CALLBACK: 'oneline', ANSIBLE_NOCOLOR: '1' },
    });
    const line = String(result.stdout).match(/^mta2 \| SUCCESS => (\{.*\})$/m);
    expect(line, String(result.stdout)).not.toBeNull();
    const audit = JSON.parse(line![1]!) as TaskResult & { drift: boolean };
    expect(audit).toMatchObject({ changed: false, drift: true, rc: 2 });
    expect(audit.cmd).toEqual(expect.arrayContaining(['audit', '--detailed-exitcode', '--quota', '200']));
    expect(statuses(audit)).toMatchObject({ 'policyd-quota /opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb': 'drift' });
    expect(await fingerprint(mta2)).toEqual(before);
  }, TIMEOUT);

  it("fails with the tool's own one-line error", async () => {
    const run = await playbook('-e', JSON.stringify({ zimbra_catch_all: [{ domain: 'a.example', account: 'nobody@a.example' }] }));
    expect(run.exitCode).toBe(2);
    // The first play has only the logger host: once it fails, Ansible stops the playbook.
    expect(run.recap.mail).toEqual({ ok: 0, changed: 0, failed: 1 });
    const failed = run.results.mail![0]!;
    expect(failed.rc).toBe(1);
    expect(failed.msg).toBe('nothing was changed: catch-all a.example: account nobody@a.example does not exist (account.NO_SUCH_ACCOUNT (no such account: nobody@a.example))');
  }, TIMEOUT);
});
