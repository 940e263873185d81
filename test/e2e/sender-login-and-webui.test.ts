/** Apply on a simulated host, the SMTP side besides the quotas: sender/login match in Postfix, and the web UI's access block in Apache. */
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { readLdap, writeLdap } from '../../src/simulation/sandbox/state.js';
import { toolPath } from '../../src/simulation/sandbox/tool-paths.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import { appliedSandbox, cli, fingerprint, sandbox } from '../helpers/sandbox.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];

async function restarts(root: string) {
  return (await readCalls(root)).filter((c) => c.argv.includes('restart')).map((c) => c.tool);
}

describe('sender/login match', () => {
  it('8.5+: --sender-login-match writes both attributes in the one zmprov write batch, restarts the MTA, verifies with postconf', async () => {
    const box = await sandbox('8.8.15');
    const ldap = await readLdap(box.root);
    ldap.config.zimbraMtaSmtpdSenderRestrictions = ['check_sender_access lmdb:/opt/zimbra/conf/postfix_reject_sender'];
    await writeLdap(box.root, ldap);
    const result = await cli(['--root', box.root, 'apply', '--yes', '--sender-login-match', ...CATCH_ALL]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/verified Postfix enforces reject_authenticated_sender_login_mismatch/);
    const config = (await readLdap(box.root)).config;
    expect(config.zimbraMtaSmtpdSenderRestrictions).toEqual(['reject_authenticated_sender_login_mismatch check_sender_access lmdb:/opt/zimbra/conf/postfix_reject_sender']);
    expect(config.zimbraMtaSmtpdSenderLoginMaps).toEqual(['proxy:ldap:/opt/zimbra/conf/ldap-slm.cf']);
    const writes = (await readCalls(box.root)).filter((c) => c.tool === 'zmprov' && c.stdin?.some((l) => /^(ma|ms|mcf) /.test(l)));
    expect(writes).toHaveLength(1);
    const postconf = join(box.root, toolPath('postconf', versionProfile('8.8.15')));
    const live = (await execa(postconf, ['-h', 'smtpd_sender_restrictions'])).stdout;
    expect(live).toMatch(/^reject_authenticated_sender_login_mismatch, check_sender_access lmdb:\/opt\/zimbra\/conf\/postfix_reject_sender, check_policy_service/);
    const audit = await cli(['--root', box.root, 'audit', '--detailed-exitcode']);
    expect(audit.exitCode).toBe(0);
    expect(audit.stdout).toMatch(/ok\s+sender-login-match[^\n]*\n[^\n]*on: SMTP AUTH users can only send as their own addresses/);

    const off = await cli(['--root', box.root, 'apply', '--yes', '--no-sender-login-match']);
    expect(off.exitCode).toBe(0);
    expect((await readLdap(box.root)).config.zimbraMtaSmtpdSenderRestrictions).toEqual(['check_sender_access lmdb:/opt/zimbra/conf/postfix_reject_sender']);
    expect(off.stdout).toMatch(/verified Postfix no longer runs reject_authenticated_sender_login_mismatch/);
  });

  it("writes on the server when the server has a value of its own", async () => {
    const box = await appliedSandbox('10.1.0', {}, CATCH_ALL);
    const ldap = await readLdap(box.root);
    ldap.servers[box.hostname]!.zimbraMtaSmtpdSenderRestrictions = ['check_sender_access lmdb:/opt/zimbra/conf/postfix_reject_sender'];
    await writeLdap(box.root, ldap);
    const result = await cli(['--root', box.root, 'apply', '--yes', '--sender-login-match']);
    expect(result.stdout).toContain(`zmprov ms ${box.hostname} zimbraMtaSmtpdSenderRestrictions "reject_authenticated_sender_login_mismatch check_sender_access`);
    expect(result.stdout).toMatch(/verified Postfix enforces reject_authenticated_sender_login_mismatch/);
    expect((await cli(['--root', box.root, 'audit', '--detailed-exitcode'])).exitCode).toBe(0);
  });
});

describe('web UI exposure', () => {
  it('restricts the published web UI to loopback and the admin networks, checked by apachectl; restarts Apache only on change', async () => {
    const box = await sandbox('8.8.15');
    expect((await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL, '--webui-allow', '192.0.2.0/24'])).exitCode).toBe(0);
    const conf = await readFile(join(box.root, '/opt/zimbra/conf/httpd.conf'), 'utf8');
    expect(conf).toMatch(/# BEGIN zimbra-harden webui\n[\s\S]*<Location "\/webui">\n {4}Require ip 127\.0\.0\.1 ::1 192\.0\.2\.0\/24\n<\/Location>\n# END zimbra-harden webui\n$/);
    // Checked before the first change, as zimbra, which Apache runs as, on the new file beside httpd.conf; not again
    // before the rename: the same bytes passed and no earlier step changed what the configuration includes.
    const beside = join(box.root, '/opt/zimbra/conf/.httpd.conf.zimbra-harden.tmp');
    const checks = (await readCalls(box.root)).filter((c) => c.tool === 'apachectl' && c.argv[0] === '-t');
    expect(checks.map((c) => [c.user, c.argv, c.exitCode])).toEqual([['zimbra', ['-t', '-f', beside], 0]]);
    expect(existsSync(beside)).toBe(false);
    const apacheRestarts = async () => (await restarts(box.root)).filter((t) => t === 'zmapachectl').length;
    expect(await apacheRestarts()).toBe(1);

    expect((await cli(['--root', box.root, 'apply', '--yes'])).stdout).toMatch(/changed=0/);
    expect(await apacheRestarts()).toBe(1);

    const narrower = await cli(['--root', box.root, 'apply', '--yes', '--webui-allow', '198.51.100.7']);
    expect(narrower.stdout).toMatch(/Require ip 127\.0\.0\.1 ::1 198\.51\.100\.7/);
    expect(await apacheRestarts()).toBe(2);
  });

  it('rejects a bad --webui-allow before touching anything', async () => {
    const box = await sandbox('8.8.15');
    const before = await fingerprint(box.root);
    const result = await cli(['--root', box.root, 'apply', '--yes', ...CATCH_ALL, '--webui-allow', '10.0.0.0/8 all']);
    expect(result.exitCode).toBe(64);
    expect(result.stderr).toMatch(/--webui-allow: "10.0.0.0\/8 all" is not an IP address or network/);
    expect(await fingerprint(box.root)).toEqual(before);
  });
});
