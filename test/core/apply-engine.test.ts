import { describe, expect, test } from 'vitest';
import { CONTROLS } from '../../src/controls/index.js';
import { applyPlan } from '../../src/core/apply.js';
import type { ApplyEvent } from '../../src/core/events.js';
import { PENDING_RESTARTS, readPending } from '../../src/core/pending-restarts.js';
import type { Item } from '../../src/core/types.js';
import { MemoryHost, zmprovBatch, type ZmprovScript } from '../helpers/memory-host.js';
import { change, observation, serverEnv, zmprov } from './plan-items.js';

const env = serverEnv();
const HTTPD = env.paths.httpdConf;

const catchAll = (domain: string) => change('catch-all', domain, [zmprov('ma', `admin@${domain}`, '+zimbraMailCatchAllAddress', `@${domain}`)]);
const service = change('cbpolicyd-service', env.hostname, [zmprov('ms', env.hostname, '+zimbraServiceInstalled', 'cbpolicyd', '+zimbraServiceEnabled', 'cbpolicyd')], { restart: ['mta', 'cbpolicyd'] });
const webui = change('webui-exposure', HTTPD, [{ kind: 'write-file', path: HTTPD, content: 'Listen 7780\n# BEGIN zimbra-harden webui\n', diff: '', validate: 'apache-config', backup: true }], { restart: ['apache'] });
const rows = change('policyd-quota', '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb', [{ kind: 'run', command: env.paths.zmlocalconfig, args: ['-e', 'cbpolicyd_module_quotas=1'], user: 'zimbra' }], { phase: 'after-restart' });

/** A server that answers every command of these plans successfully, unless a test says otherwise. */
function server(script: ZmprovScript = {}): MemoryHost {
  return new MemoryHost()
    .put(HTTPD, 'Listen 7780\n', { mode: 0o640, uid: 1001 })
    .on(env.paths.zmprov, zmprovBatch(script))
    .on(env.paths.apachectl, { stdout: 'Syntax OK\n' })
    .on(env.paths.zmmtactl, {})
    .on(env.paths.zmcbpolicydctl, {})
    .on(env.paths.zmapachectl, {})
    .on(env.paths.zmlocalconfig, {});
}

async function apply(host: MemoryHost, items: Item[]) {
  const events: ApplyEvent[] = [];
  // The hardening controls verify themselves after the restart, as apply runs them.
  const outcome = await applyPlan(host, observation(items), (e) => events.push(e), { controls: CONTROLS, settings: {} });
  const names = (list: Item[]) => list.map((i) => `${i.control} ${i.subject}`);
  return {
    events,
    applied: names(outcome.applied),
    failed: outcome.failed.map((f) => `${f.item.control} ${f.item.subject}: ${f.error}`),
    notApplied: names(outcome.notApplied),
    verified: outcome.verified,
    journal: host.journal.map((line) => line.replace('/opt/zimbra/conf/.httpd.conf.zimbra-harden.tmp', 'TEMP')),
  };
}

describe('apply order', () => {
  test('pending restarts, then one zmprov batch, files, the restarts in order, what needed them, then verification', async () => {
    const host = server();
    const result = await apply(host, [catchAll('a.example'), service, webui, rows]);
    expect(result.journal).toEqual([
      // every new file checked beside its target before the first change
      'write TEMP',
      'run apachectl -t -f TEMP',
      'remove TEMP',
      `write ${PENDING_RESTARTS}`,
      'run zmprov -l',
      // the same bytes passed and nothing they include changed since: not checked again
      `backup ${HTTPD}`,
      `write ${HTTPD}`,
      'run zmmtactl restart',
      `write ${PENDING_RESTARTS}`,
      'run zmcbpolicydctl restart',
      `write ${PENDING_RESTARTS}`,
      'run zmapachectl restart',
      `remove ${PENDING_RESTARTS}`,
      'run zmlocalconfig -e cbpolicyd_module_quotas=1',
      'run zmcbpolicydctl status',
    ]);
    expect(host.calls.find((c) => c.command === env.paths.zmprov)!.options.input).toBe(
      'ma admin@a.example +zimbraMailCatchAllAddress @a.example\nms mail.a.example +zimbraServiceInstalled cbpolicyd +zimbraServiceEnabled cbpolicyd\nexit\n',
    );
    expect(result.applied).toEqual(['catch-all a.example', 'cbpolicyd-service mail.a.example', `webui-exposure ${HTTPD}`, 'restart mail.a.example', 'policyd-quota /opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb']);
    expect(result.failed).toEqual([]);
    expect(result.verified).toBe(true);
    expect(host.files.get(HTTPD)).toMatchObject({ content: 'Listen 7780\n# BEGIN zimbra-harden webui\n', mode: 0o640, uid: 1001 });
  });

  test('restarts run as zimbra, are left to finish on Ctrl-C, and cross off only their own service', async () => {
    const host = server();
    await apply(host, [service]);
    const restarts = host.calls.filter((c) => c.args[0] === 'restart');
    expect(restarts.map((c) => [c.command, c.options.user, c.options.finishOnInterrupt])).toEqual([
      [env.paths.zmmtactl, 'zimbra', true],
      [env.paths.zmcbpolicydctl, 'zimbra', true],
    ]);
  });

  test('nothing restarted, nothing verified', async () => {
    const result = await apply(server(), [catchAll('a.example')]);
    expect(result.journal).toEqual(['run zmprov -l']);
    expect(result.verified).toBeUndefined();
  });
});

describe('a file check that passed before the first change', () => {
  const INCLUDED = '/opt/zimbra/conf/extra/webui.conf';
  const including = change('webui-exposure', HTTPD, [{ kind: 'write-file', path: HTTPD, content: 'Listen 7780\nInclude /opt/zimbra/conf/extra/*.conf\n', diff: '', validate: 'apache-config', backup: true }], { restart: ['apache'] });
  const rewriteInclude = change('other', INCLUDED, [{ kind: 'write-file', path: INCLUDED, content: '<Location "/webui">\n', diff: '', backup: true }]);
  const CONFIG_PHP = '/opt/zimbra/common/share/webui/includes/config.php';
  const configPhp = change('webui-db', CONFIG_PHP, [{ kind: 'write-file', path: CONFIG_PHP, content: '<?php\n$DB_DSN="sqlite:/db";\n', diff: '', validate: 'php-lint', backup: true }]);
  const checks = (journal: string[]) => journal.filter((l) => / -t -f | -l /.test(l));

  test('is run again when an earlier step of the same apply rewrote a file the configuration includes, and its verdict then counts', async () => {
    let runs = 0;
    const host = server()
      .put(INCLUDED, '# empty\n')
      .on(env.paths.apachectl, () => (++runs === 1 ? { stdout: 'Syntax OK\n' } : { exitCode: 1, stderr: `AH00526: Syntax error on line 1 of ${INCLUDED}:\n<Location> directive missing closing '>'\n` }));
    const result = await apply(host, [rewriteInclude, including]);
    expect(checks(result.journal)).toEqual(['run apachectl -t -f TEMP', 'run apachectl -t -f TEMP']);
    expect(result.applied).toEqual([`other ${INCLUDED}`]);
    expect(result.failed).toEqual([`webui-exposure ${HTTPD}: apachectl -t rejects the new ${HTTPD}: AH00526: Syntax error on line 1 of ${INCLUDED}:\n<Location> directive missing closing '>'`]);
    expect(host.files.get(HTTPD)!.content).toBe('Listen 7780\n');
  });

  test('is run again after a command an earlier step ran; php -l, which reads only its file, is not', async () => {
    const host = server().on('php', { stdout: 'No syntax errors detected\n' });
    const run = change('quota-module', env.hostname, [{ kind: 'run', command: env.paths.zmlocalconfig, args: ['-e', 'cbpolicyd_module_quotas=1'], user: 'zimbra' }]);
    const result = await apply(host, [configPhp, run, including]);
    expect(result.failed).toEqual([]);
    expect(checks(result.journal)).toEqual([
      'run php -l /opt/zimbra/common/share/webui/includes/.config.php.zimbra-harden.tmp',
      'run apachectl -t -f TEMP',
      'run apachectl -t -f TEMP',
    ]);
  });

  test('stands when earlier steps wrote only files the configuration does not read', async () => {
    const host = server().on('php', { stdout: 'No syntax errors detected\n' });
    const result = await apply(host, [catchAll('a.example'), configPhp, including]);
    expect(result.failed).toEqual([]);
    expect(checks(result.journal)).toEqual(['run php -l /opt/zimbra/common/share/webui/includes/.config.php.zimbra-harden.tmp', 'run apachectl -t -f TEMP']);
    expect(host.files.get(HTTPD)!.content).toBe('Listen 7780\nInclude /opt/zimbra/conf/extra/*.conf\n');
  });
});

describe('apply stops at the first failure', () => {
  test('a file that cannot be written: the zmprov changes are applied, the rest not; the restarts stay owed', async () => {
    const host = server();
    host.failingWrites.add(HTTPD);
    const result = await apply(host, [catchAll('a.example'), service, webui, rows]);
    expect(result.applied).toEqual(['catch-all a.example', 'cbpolicyd-service mail.a.example']);
    expect(result.failed).toEqual([`webui-exposure ${HTTPD}: ENOSPC: no space left on device, write '${HTTPD}'`]);
    expect(result.notApplied).toEqual(['restart mail.a.example', 'policyd-quota /opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb']);
    expect(result.journal.filter((l) => / restart$/.test(l))).toEqual([]);
    expect(result.verified).toBeUndefined();
    expect((await readPending(host)).services).toEqual(['mta', 'cbpolicyd', 'apache']);
  });

  test('a file check that fails changes nothing at all', async () => {
    const host = server().on(env.paths.apachectl, { exitCode: 1, stderr: 'AH00526: Syntax error on line 2 of /opt/zimbra/conf/.httpd.conf.zimbra-harden.tmp:\n' });
    await expect(apply(host, [catchAll('a.example'), webui])).rejects.toThrow(/apachectl -t rejects the new \/opt\/zimbra\/conf\/httpd.conf: AH00526: Syntax error on line 2/);
    const temp = '/opt/zimbra/conf/.httpd.conf.zimbra-harden.tmp';
    expect(host.journal).toEqual([`write ${temp}`, `run apachectl -t -f ${temp}`, `remove ${temp}`]);
    expect(host.files.has(temp)).toBe(false);
    expect(host.files.has(PENDING_RESTARTS)).toBe(false);
  });

  test('a restart that fails: what came before is applied, with the command and what it said', async () => {
    const host = server().on(env.paths.zmcbpolicydctl, (args) => (args[0] === 'restart' ? { exitCode: 1, stderr: "cbpolicyd failed to start: Can't locate cbp/config.pm\n" } : {}));
    const result = await apply(host, [catchAll('a.example'), service, rows]);
    expect(result.applied).toEqual(['catch-all a.example', 'cbpolicyd-service mail.a.example']);
    expect(result.failed).toEqual(["restart mail.a.example: zmcbpolicydctl restart (as zimbra) exited 1: cbpolicyd failed to start: Can't locate cbp/config.pm"]);
    expect(result.notApplied).toEqual(['policyd-quota /opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb']);
    expect(result.events.filter((e) => e.type === 'apply_errored').map((e) => e.type === 'apply_errored' && e.item.control)).toEqual(['restart']);
    // zmmtactl restart succeeded, so only cbpolicyd is still owed
    expect((await readPending(host)).services).toEqual(['cbpolicyd']);
    expect(result.verified).toBeUndefined();
  });

  test('a restart that succeeds but leaves cbpolicyd down fails the verification, with the evidence', async () => {
    const host = server().on(env.paths.zmcbpolicydctl, (args) => (args[0] === 'status' ? { exitCode: 1, stdout: 'cbpolicyd is not running.\n' } : {}));
    const result = await apply(host, [service]);
    expect(result.failed).toEqual([]);
    expect(result.verified).toBe(false);
    expect(result.events.filter((e) => e.type === 'verify')).toEqual([
      { type: 'verify', ok: false, message: 'cbpolicyd is NOT running after the restart', evidence: ['zmcbpolicydctl status: exit 1 cbpolicyd is not running.'] },
    ]);
  });
});

describe('a zmprov batch that fails half-way', () => {
  const items = () => [catchAll('a.example'), catchAll('b.example'), catchAll('c.example'), webui];

  test('a command that errors fails its own item only; the others of the batch are applied, nothing after the batch runs', async () => {
    const host = server({ answer: (argv) => (argv[1] === 'admin@b.example' ? { error: 'system failure: LDAP error' } : '') });
    const result = await apply(host, items());
    expect(result.applied).toEqual(['catch-all a.example', 'catch-all c.example']);
    expect(result.failed).toEqual(['catch-all b.example: ERROR: service.FAILURE (system failure: LDAP error)']);
    expect(result.notApplied).toEqual([`webui-exposure ${HTTPD}`, 'restart mail.a.example']);
    expect(result.journal).not.toContain(`write ${HTTPD}`);
  });

  test('a zmprov that dies: the items whose commands completed are applied, the others failed, the rest not applied', async () => {
    const host = server({ diesAt: { batch: 0, command: 1 } });
    const result = await apply(host, items());
    expect(result.applied).toEqual(['catch-all a.example']);
    expect(result.failed).toEqual([
      "catch-all b.example: zmprov stopped before it finished this item's commands (exit 137); run apply again",
      "catch-all c.example: zmprov stopped before it finished this item's commands (exit 137); run apply again",
    ]);
    expect(result.notApplied).toEqual([`webui-exposure ${HTTPD}`, 'restart mail.a.example']);
    expect((await readPending(host)).services).toEqual(['apache']);
  });

  test("an item's commands are judged together: one completed command of two is not enough", async () => {
    const two = change('sender-login-match', env.hostname, [zmprov('mcf', 'zimbraMtaSmtpdSenderRestrictions', 'reject_authenticated_sender_login_mismatch'), zmprov('mcf', 'zimbraMtaSmtpdSenderLoginMaps', 'proxy:ldap:/opt/zimbra/conf/ldap-slm.cf')], { restart: ['mta'] });
    const host = server({ diesAt: { batch: 0, command: 2 } });
    const result = await apply(host, [catchAll('a.example'), two]);
    expect(result.applied).toEqual(['catch-all a.example']);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatch(/^sender-login-match mail.a.example: zmprov stopped/);
    expect(result.notApplied).toEqual(['restart mail.a.example']);
  });
});

describe('pending restarts', () => {
  test('are written before the first change, merged with those an earlier run left; a restart crosses off only its own', async () => {
    const host = server().put(PENDING_RESTARTS, JSON.stringify({ services: ['apache'], since: '2026-01-01T00:00:00.000Z' }));
    let seen: unknown;
    host.on(env.paths.zmprov, (args, options) => {
      seen = JSON.parse(host.files.get(PENDING_RESTARTS)!.content);
      return zmprovBatch()(args, options);
    });
    const items = [service];
    const obs = observation(items);
    await applyPlan(host, obs, () => {});
    expect(seen).toEqual({ services: ['mta', 'cbpolicyd', 'apache'], since: '2026-01-01T00:00:00.000Z' });
    expect((await readPending(host)).services).toEqual(['apache']);
  });

  test('a state folder that cannot be written stops apply before any change', async () => {
    const host = server();
    host.failingWrites.add(PENDING_RESTARTS);
    await expect(apply(host, [service])).rejects.toThrow(/cannot write \/var\/lib\/zimbra-harden\/pending-restarts.json \(ENOSPC/);
    expect(host.calls).toEqual([]);
  });
});
