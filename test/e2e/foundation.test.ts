import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryLock } from '../../src/core/lock.js';
import { RealHost } from '../../src/host/real-host.js';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { SANDBOX_VERSIONS, zimbraPaths } from '../../src/zimbra/paths.js';
import { cli, fingerprint, sandbox } from '../helpers/sandbox.js';
import { jsonLines } from '../helpers/json-lines.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
const WRITE_COMMANDS = /^(ma|ms|mcf|md|modify\w+)\s/;

function version(v: string) {
  const [major, minor, patch] = v.split('.').map(Number) as [number, number, number];
  return { major, minor, patch };
}

async function zmprovCalls(root: string) {
  return (await readCalls(root)).filter((c) => c.tool === 'zmprov');
}

async function restarts(root: string) {
  return (await readCalls(root)).filter((c) => c.argv.includes('restart')).map((c) => c.tool);
}

describe.each(SANDBOX_VERSIONS)('ZCS %s', (zcs) => {
  it('apply hardens a fresh server in at most 2 zmprov processes and one restart; audit is then clean; a second apply changes nothing', async () => {
    const box = await sandbox(zcs, { webui: true });
    const paths = zimbraPaths(version(zcs));

    const first = await cli(['--root', box.root, 'apply', ...CATCH_ALL, '--yes']);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/verified .*cbpolicyd is running/);
    expect(first.stdout).toMatch(/verified Postfix asks cbpolicyd/);
    expect((await zmprovCalls(box.root)).length).toBeLessThanOrEqual(2);
    // The web UI is published under Apache in every sandbox here, so its access block restarts Apache once.
    expect(await restarts(box.root)).toEqual(['zmmtactl', 'zmcbpolicydctl', 'zmapachectl']);

    const ldap = await readLdap(box.root);
    expect(ldap.accounts['admin@a.example']?.zimbraMailCatchAllAddress).toEqual(['@a.example']);
    expect(ldap.accounts['bob@b.example']?.zimbraMailCatchAllAddress).toEqual(['@b.example']);
    const server = ldap.servers[box.hostname]!;
    expect(server.zimbraServiceEnabled).toContain('cbpolicyd');
    expect(server.zimbraServiceEnabled).toContain('mta');
    expect(server.zimbraServiceInstalled).toContain('cbpolicyd');
    const restrictions = ldap.config.zimbraMtaRestriction ?? [];
    if (zcs.startsWith('7.')) expect(restrictions).toContain('check_policy_service inet:127.0.0.1:10031');
    else expect(restrictions.some((r) => r.includes('check_policy_service'))).toBe(false);

    const before = await zmprovCalls(box.root);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(0);
    expect(audit.stdout).toMatch(/drift=0/);
    expect((await zmprovCalls(box.root)).length).toBe(before.length + 1);

    const untouched = await fingerprint(box.root);
    const second = await cli(['--root', box.root, 'apply', ...CATCH_ALL, '--yes']);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toMatch(/changed=0/);
    const after = await zmprovCalls(box.root);
    expect(after.length).toBe(before.length + 2);
    expect(after.at(-1)!.stdin?.some((line) => WRITE_COMMANDS.test(line))).toBe(false);
    expect(await restarts(box.root)).toEqual(['zmmtactl', 'zmcbpolicydctl', 'zmapachectl']);
    expect(await fingerprint(box.root)).toEqual(untouched);

    if (paths.webuiDir || zcs.startsWith('7.') || zcs.startsWith('8.0')) {
      const configPhp = join(box.root, paths.webuiDir ?? paths.webuiManualDir, 'includes/config.php');
      await execa('php', ['-l', configPhp]);
      const probe = `include '${configPhp}'; $pdo = new PDO(preg_replace('#^sqlite:#', 'sqlite:${box.root}', $DB_DSN)); echo $pdo->query('SELECT Name FROM policies WHERE ID = 1')->fetchColumn();`;
      expect((await execa('php', ['-r', probe])).stdout).toBe('Default');
    }
  });
});

describe('bad input changes nothing', () => {
  it.each([
    [['--catch-all', 'a.example;touch x=admin@a.example'], 64, /--catch-all: "a.example;touch x" is not a domain name/],
    [['--catch-all', 'a.example=admin@b.example'], 64, /admin@b.example is outside a.example/],
    [[], 64, /missing setting: catchAll \(flag --catch-all/],
  ])('apply %j exits %i with one clear error', async (flags, code, message) => {
    const box = await sandbox('8.8.15');
    const before = await fingerprint(box.root);
    const result = await cli(['--root', box.root, 'apply', '--yes', ...flags], { cwd: box.root });
    expect(result.exitCode).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await fingerprint(box.root)).toEqual(before);
  });
});

describe('apply', () => {
  it('keeps owner and mode of config.php and leaves a backup identical to the original', async () => {
    const box = await sandbox('10.1.0');
    const path = join(box.root, '/opt/zimbra/common/share/webui/includes/config.php');
    const original = await readFile(path, 'utf8');
    await execa('chmod', ['0640', path]);
    expect((await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL])).exitCode).toBe(0);
    expect((await execa('stat', ['-c', '%a', path])).stdout).toBe('640');
    const { stdout } = await execa('sh', ['-c', 'ls "$1"/var/lib/zimbra-harden/backups/opt/zimbra/common/share/webui/includes/config.php.*.bak', 'sh', box.root]);
    expect(await readFile(stdout.trim(), 'utf8')).toBe(original);
  });

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

  it('refuses to run while another apply holds the lock; a lock file left by a dead process does not block', async () => {
    const box = await sandbox('8.8.15');
    const lockPath = '/var/lib/zimbra-harden/apply.lock';
    const held = await tryLock(new RealHost(box.root), lockPath);
    expect(held).toBeDefined();
    const result = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/another zimbra-harden apply is running \(pid \d+, lock \/var\/lib\/zimbra-harden\/apply.lock\)/);
    await held!.release();
    // the file is still there, naming a pid (ours, alive): only a held flock blocks
    expect(await readFile(join(box.root, lockPath), 'utf8')).toBe(`${process.pid}\n`);
    expect((await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL])).exitCode).toBe(0);
  });

  it('writes the config it used, so a later audit and apply need no flags', async () => {
    const box = await sandbox('8.8.15');
    expect((await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL])).exitCode).toBe(0);
    const config = JSON.parse(await readFile(join(box.root, 'etc/zimbra-harden/config.json'), 'utf8'));
    expect(config.catchAll).toEqual([
      { domain: 'a.example', account: 'admin@a.example' },
      { domain: 'b.example', account: 'bob@b.example' },
    ]);
    const again = await cli(['--root', box.root, 'apply', '--yes']);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/changed=0/);
  });

  it('speaks JSON lines, versioned, with no file contents', async () => {
    const box = await sandbox('8.8.15');
    const result = await cli(['--root', box.root, 'plan', '--json', ...CATCH_ALL]);
    const lines = jsonLines(result.stdout);
    expect(lines[0]).toEqual({ type: 'version', schema: '2.1', tool: 'zimbra-harden' });
    const ids = lines.filter((l) => l.type === 'planned_change').map((l) => l.id);
    expect(ids).toEqual([
      'catch-all',
      'catch-all',
      'cbpolicyd-service',
      'postfix-policy',
      'webui-db',
      'policyd-quota',
      'policyd-quota',
      'sender-login-match',
      'webui-exposure',
      'webui-exposure',
      'monitor-cron',
      'restart',
    ]);
    expect(result.stdout).not.toContain('"content"');
    expect(lines.at(-1)).toMatchObject({ type: 'summary', mode: 'plan', changed: 8, skipped: 2 });
  });

  it('installs the log monitor cron job when a report address is given, and audits it', async () => {
    const box = await sandbox('8.8.15');
    const result = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL, '--report-to', 'admin@a.example', '--monitor-interval', '15']);
    expect(result.exitCode).toBe(0);
    const cron = await readFile(join(box.root, 'etc/cron.d/zimbra-harden'), 'utf8');
    expect(cron).toMatch(/^\*\/15 \* \* \* \* root '.+node' '.+cli\.js' --root '.+' monitor --quiet$/m);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(0);
    expect(audit.stdout).toMatch(/ok\s+monitor-cron/);
    await writeFile(join(box.root, 'etc/cron.d/zimbra-harden'), cron.replace('*/15', '*/30'));
    const drift = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(drift.exitCode).toBe(2);
  });

  it('follows a non-default cbpolicyd port inherited from the global config', async () => {
    const box = await sandbox('8.8.15');
    await execa(join(box.root, 'opt/zimbra/bin/zmprov'), ['-l', 'mcf', 'zimbraCBPolicydBindPort', '10032']);
    const result = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/verified Postfix asks cbpolicyd \(port 10032\)/);
    const postconf = await execa(join(box.root, 'opt/zimbra/common/sbin/postconf'), ['-h', 'smtpd_end_of_data_restrictions']);
    expect(postconf.stdout).toBe('check_policy_service inet:localhost:10032');
  });

  it('says clearly when no Zimbra is there', async () => {
    const result = await cli(['--root', '/nonexistent-zimbra-root', 'audit']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/no Zimbra found under \/nonexistent-zimbra-root: \/opt\/zimbra\/bin\/zmcontrol does not exist/);
  });
});
