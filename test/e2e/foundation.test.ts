import { execa } from 'execa';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { SANDBOX_VERSIONS, zimbraPaths } from '../../src/zimbra/paths.js';
import { cli, fingerprint, sandbox } from '../helpers/sandbox.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
const WRITE_COMMANDS = /^(ma|ms|mcf|md|modify\w+)\s/;
/** The release whose server inherits a non-default cbpolicyd port from the global config. */
const OTHER_PORT_VERSION = '8.8.15';

function version(v: string) {
  const [major, minor, patch] = v.split('.').map(Number) as [number, number, number];
  return { major, minor, patch };
}

async function zmprovCalls(root: string) {
  return (await readCalls(root)).filter((c) => c.tool === 'zmprov');
}

/** Runs of a tool since the calls log had `from` lines. */
async function runsOf(root: string, tool: string, from: number) {
  return (await readCalls(root)).slice(from).filter((c) => c.tool === tool).map((c) => c.argv.join(' '));
}

async function restarts(root: string) {
  return (await readCalls(root)).filter((c) => c.argv.includes('restart')).map((c) => c.tool);
}

describe.each(SANDBOX_VERSIONS)('ZCS %s', (zcs) => {
  it('apply hardens a fresh server in at most 2 zmprov processes and one restart, keeping the mode of a shipped config.php and a backup of it; audit is then clean; a second apply changes nothing', { timeout: 180_000 }, async () => {
    const box = await sandbox(zcs, { webui: true });
    const paths = zimbraPaths(version(zcs));
    // A release that ships config.php: apply keeps its owner and mode and backs up the original.
    const shippedConfigPhp = paths.webuiDir && join(box.root, paths.webuiDir, 'includes/config.php');
    const originalConfigPhp = shippedConfigPhp && (await readFile(shippedConfigPhp, 'utf8'));
    if (shippedConfigPhp) await execa('chmod', ['0640', shippedConfigPhp]);
    if (zcs === OTHER_PORT_VERSION) await execa(join(box.root, 'opt/zimbra/bin/zmprov'), ['-l', 'mcf', 'zimbraCBPolicydBindPort', '10032']);
    const setupCalls = (await zmprovCalls(box.root)).length;
    const callsBefore = (await readCalls(box.root)).length;

    const first = await cli(['--root', box.root, 'apply', ...CATCH_ALL, '--yes']);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/verified .*cbpolicyd is running/);
    expect(first.stdout).toMatch(/verified Postfix asks cbpolicyd/);
    expect((await zmprovCalls(box.root)).length - setupCalls).toBeLessThanOrEqual(2);
    // One postconf for every parameter the controls read, `postconf -P`, one more to verify; the version read once.
    const params = expect.stringMatching(/^smtpd_recipient_restrictions smtpd_sender_restrictions smtpd_end_of_data_restrictions mynetworks/);
    const verified = expect.stringMatching(/^smtpd_recipient_restrictions smtpd_sender_restrictions smtpd_end_of_data_restrictions/);
    expect(await runsOf(box.root, 'postconf', callsBefore)).toEqual([params, '-P', verified]);
    expect(await runsOf(box.root, 'zmcontrol', callsBefore)).toEqual(['-v']);
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
    if (zcs === OTHER_PORT_VERSION) {
      expect(first.stdout).toMatch(/verified Postfix asks cbpolicyd \(port 10032\)/);
      const postconf = await execa(join(box.root, paths.postconf), ['-h', 'smtpd_end_of_data_restrictions']);
      expect(postconf.stdout).toBe('check_policy_service inet:localhost:10032');
    }
    if (shippedConfigPhp) {
      expect((await execa('stat', ['-c', '%a', shippedConfigPhp])).stdout).toBe('640');
      const { stdout } = await execa('sh', ['-c', 'ls "$1"/var/lib/zimbra-harden/backups"$2"/includes/config.php.*.bak', 'sh', box.root, paths.webuiDir!]);
      expect(await readFile(stdout.trim(), 'utf8')).toBe(originalConfigPhp);
    }

    const before = await zmprovCalls(box.root);
    const auditFrom = (await readCalls(box.root)).length;
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(0);
    expect(audit.stdout).toMatch(/drift=0/);
    expect((await zmprovCalls(box.root)).length).toBe(before.length + 1);
    expect(await runsOf(box.root, 'postconf', auditFrom)).toEqual([params, '-P']);

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
