/**
 * Controls planned from facts: each control's gather runs on a memory host holding the files the
 * simulated host installs (or its plan gets the facts directly), so every message and action is
 * checked without a process. The simulated-host tests (test/e2e) keep what needs the real tools.
 */
import { describe, expect, test } from 'vitest';
import { catchAllControl } from '../../src/controls/catch-all.js';
import { policydQuotaControl } from '../../src/controls/policyd-quota.js';
import { senderLoginMatchControl } from '../../src/controls/sender-login-match.js';
import { webuiDbControl } from '../../src/controls/webui-db.js';
import { webuiExposureControl } from '../../src/controls/webui-exposure.js';
import { checkControl } from '../../src/core/engine.js';
import { planRestart } from '../../src/core/restart.js';
import type { Settings } from '../../src/core/settings.js';
import type { Item, ServerEnv } from '../../src/core/types.js';
import { httpdConfFor } from '../../src/simulation/sandbox/apache-layout.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import { STOCK_CONFIG_PHP } from '../../src/simulation/sandbox/webui.js';
import { predictedPaths } from '../../src/cbpolicyd/policy-paths.js';
import type { SandboxVersion } from '../../src/zimbra/paths.js';
import type { ZmprovResult } from '../../src/zimbra/zmprov-batch.js';
import { MemoryHost } from '../helpers/memory-host.js';
import { change, HOSTNAME, serverEnv } from './plan-items.js';

function envOf(version: SandboxVersion): ServerEnv {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  return serverEnv(major, minor, patch);
}

const read = (argv: string[], stdout: string, errors: string[] = []): ZmprovResult => ({ argv, stdout, errors, completed: true });
const brief = (items: Item[]) => items.map((i) => `${i.status} ${i.control} ${i.subject}: ${i.message}`);

describe('catch-all', () => {
  test('an account zmprov does not know fails with what zmprov said', () => {
    const settings: Settings = { catchAll: [{ domain: 'a.example', account: 'nobody@a.example' }] };
    const reads = [read(['ga', 'nobody@a.example', 'zimbraMailCatchAllAddress'], '', ['ERROR: account.NO_SUCH_ACCOUNT (no such account: nobody@a.example)'])];
    const items = catchAllControl.plan({ reads }, { env: serverEnv(), settings }) as Item[];
    expect(brief(items)).toEqual(['fail catch-all a.example: account nobody@a.example does not exist (account.NO_SUCH_ACCOUNT (no such account: nobody@a.example))']);
  });
});

describe('webui-db', () => {
  const env = envOf('8.8.15');
  const configPhp = `${env.paths.webuiDir}/includes/config.php`;
  const host = () => new MemoryHost().put(env.paths.php, '', { mode: 0o755 });

  test('a config.php the release ships but that is missing fails the step', async () => {
    const items = await checkControl(webuiDbControl, { host: host(), env, settings: {}, reads: [] });
    expect(brief(items)).toEqual([
      `fail webui-db ${configPhp}: ${configPhp} is missing: ZCS 8.8 ships it with cbpolicyd; reinstall zimbra-cbpolicyd's web UI or skip this step with --skip webui-db`,
    ]);
  });

  test('a config.php with unexpected content fails the step', async () => {
    const items = await checkControl(webuiDbControl, { host: host().put(configPhp, '<?php\n$config = array();\n'), env, settings: {}, reads: [] });
    expect(brief(items)).toEqual([
      `fail webui-db ${configPhp}: ${configPhp} has unexpected content: it has no $DB_DSN line: not the cbpolicyd web UI configuration; fix it by hand or skip this step with --skip webui-db`,
    ]);
  });

  test('the stock config.php is patched, checked with php -l and backed up', async () => {
    const [item] = await checkControl(webuiDbControl, { host: host().put(configPhp, STOCK_CONFIG_PHP), env, settings: {}, reads: [] });
    expect(item).toMatchObject({ status: 'change', actions: [{ kind: 'write-file', path: configPhp, validate: 'php-lint', backup: true }] });
  });
});

describe('restart', () => {
  const items = [change('cbpolicyd-service', HOSTNAME, [], { restart: ['cbpolicyd', 'mta'] })];

  test('--restart none restarts nothing and says what to run', () => {
    const restart = planRestart(items, serverEnv(), { restart: 'none' });
    expect(restart).toMatchObject({ status: 'skip', actions: [], message: 'not restarting (--restart none); until you do, the changes to mta, cbpolicyd are not live' });
    expect(restart.details).toEqual(['run as zimbra: zmmtactl restart && zmcbpolicydctl restart']);
  });

  test('--restart full is one zmcontrol restart that stands for every service', () => {
    const restart = planRestart(items, serverEnv(), { restart: 'full' });
    expect(restart.actions).toEqual([{ kind: 'run', command: '/opt/zimbra/bin/zmcontrol', args: ['restart'], user: 'zimbra', timeoutMs: 30 * 60_000, finishOnInterrupt: true, restarts: ['mta', 'cbpolicyd'] }]);
  });
});

describe('sender-login-match', () => {
  const RESTRICTIONS = 'zimbraMtaSmtpdSenderRestrictions';
  const MAPS = 'zimbraMtaSmtpdSenderLoginMaps';
  const live = { restrictions: 'check_sender_access lmdb:/opt/zimbra/conf/postfix_reject_sender', loginMaps: '', present: false, enforced: false };
  const plan = (env: ServerEnv, reads: ZmprovResult[]) => senderLoginMatchControl.plan({ reads, live, loginMapFile: true }, { env, settings: { senderLoginMatch: true } }) as Item[];

  test('is skipped with its reason before 8.5', () => {
    expect(brief(plan(envOf('8.0.9'), []))).toEqual([`skip sender-login-match ${HOSTNAME}: ZCS 8.0 has no ${RESTRICTIONS} (8.5+): Postfix cannot be told to match sender and login through Zimbra`]);
  });

  test("writes on the server when the server has a value of its own, else in the global config", () => {
    const value = 'check_sender_access lmdb:/opt/zimbra/conf/postfix_reject_sender';
    const own = plan(envOf('10.1.0'), [read(['gcf', RESTRICTIONS], ''), read(['gcf', MAPS], ''), read(['gs', '-e', HOSTNAME], `# name ${HOSTNAME}\n${RESTRICTIONS}: ${value}\n`)]);
    expect(own[0]!.actions).toEqual([
      { kind: 'zmprov', argv: ['ms', HOSTNAME, RESTRICTIONS, `reject_authenticated_sender_login_mismatch ${value}`] },
      { kind: 'zmprov', argv: ['mcf', MAPS, 'proxy:ldap:/opt/zimbra/conf/ldap-slm.cf'] },
    ]);
    const global = plan(envOf('10.1.0'), [read(['gcf', RESTRICTIONS], `${RESTRICTIONS}: ${value}\n`), read(['gcf', MAPS], ''), read(['gs', '-e', HOSTNAME], `# name ${HOSTNAME}\n`)]);
    expect(global[0]!.actions[0]).toEqual({ kind: 'zmprov', argv: ['mcf', RESTRICTIONS, `reject_authenticated_sender_login_mismatch ${value}`] });
  });
});

describe('policyd-quota', () => {
  test('on 7.x the rows hold but count no authenticated or webmail mail, and the audit says why', () => {
    const env = envOf('7.2.7');
    const paths = { port: 10031, paths: predictedPaths(env, 10031), live: false, mynetworks: ['127.0.0.0/8'], notes: [] };
    const items = policydQuotaControl.plan({ paths, drift: { changes: [], shadows: [] } }, { env, settings: {} }) as Item[];
    const rows = items.find((i) => i.subject === '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb')!;
    expect(rows).toMatchObject({ status: 'ok', severity: 'warning' });
    expect(rows.message).toBe('the rows hold (at most 100 recipients per hour per account), but this Postfix never asks cbpolicyd about authenticated or webmail mail: they count nothing outbound');
    expect(rows.details!.join('\n')).toContain('submission has no policy check at all');
  });

  test('a policy database that cannot be read fails the step with the reason', () => {
    const env = envOf('8.8.15');
    const paths = { port: 10031, paths: predictedPaths(env, 10031), live: false, mynetworks: [], notes: [] };
    const message = '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb is corrupt or not an SQLite database';
    const items = policydQuotaControl.plan({ paths, drift: { error: message } }, { env, settings: {} }) as Item[];
    expect(brief(items).filter((l) => l.startsWith('fail'))).toEqual([`fail policyd-quota /opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb: ${message}`]);
  });
});

describe('webui-exposure', () => {
  const PHP_MODULES = '[PHP Modules]\nCore\nPDO\npdo_sqlite\nsqlite3\n\n[Zend Modules]\n\n';

  /** Zimbra's Apache as the simulated host installs it; the web UI published in the docroot unless told. */
  function apacheHost(version: SandboxVersion, options: { publish?: boolean; phpModules?: string } = {}) {
    const env = envOf(version);
    const host = new MemoryHost()
      .put(env.paths.httpdConf, httpdConfFor(versionProfile(version)))
      .put(env.paths.apachectl, '', { mode: 0o755 })
      .put(env.paths.php, '', { mode: 0o755 })
      .on(env.paths.zmapachectl, {})
      .on(env.paths.php, { stdout: options.phpModules ?? PHP_MODULES });
    if (options.publish ?? true) host.put(`${env.paths.apacheDocroot}/webui/index.php`, '<?php');
    return { env, host, check: () => checkControl(webuiExposureControl, { host, env, settings: {}, reads: [] }) };
  }

  test('uses Order/Deny/Allow on the older Apache', async () => {
    const { check } = apacheHost('8.6.0');
    const [item] = await check();
    expect(item!.status).toBe('change');
    expect(item!.restart).toEqual(['apache']);
    const action = item!.actions[0]!;
    expect(action.kind === 'write-file' && action.content).toContain('<Location "/webui">\n    Order deny,allow\n    Deny from all\n    Allow from 127.0.0.1 ::1\n</Location>');
  });

  test('leaves httpd.conf alone when the web UI is not published', async () => {
    const { check, host } = apacheHost('10.1.0', { publish: false });
    const items = await check();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'ok', actions: [], restart: [] });
    expect(items[0]!.message).toMatch(/^the web UI is not published under Apache/);
    expect(host.calls).toEqual([]);
  });

  test("warns when Zimbra's PHP lacks pdo_sqlite, without failing", async () => {
    const { check, env } = apacheHost('10.1.0', { phpModules: PHP_MODULES.replace('pdo_sqlite\n', '') });
    const items = await check();
    expect(brief(items.filter((i) => i.subject.endsWith('pdo_sqlite')))).toEqual([
      `skip webui-exposure ${env.paths.php} pdo_sqlite: Zimbra's PHP lacks pdo_sqlite (${env.paths.php} -m): the web UI cannot open the SQLite policy database, whatever config.php says`,
    ]);
  });
});
