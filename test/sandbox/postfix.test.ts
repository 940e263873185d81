import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zimbraPaths } from '../../src/zimbra/paths.js';
import { postconfValue, run, sandbox } from './helpers.js';

const enable = (host: string) => ['ms', host, '+zimbraServiceInstalled', 'cbpolicyd', '+zimbraServiceEnabled', 'cbpolicyd'];

describe('Postfix restrictions follow the restart that renders them', () => {
  it('8.8.15: enabling cbpolicyd changes nothing until zmmtactl restart, end-of-data waits for zmcbpolicydctl', async () => {
    const info = await sandbox('8.8.15');
    const before = await postconfValue(info, 'smtpd_recipient_restrictions');
    expect(before).not.toContain('check_policy_service');
    expect((await run(info, 'zmprov', enable(info.hostname))).exitCode).toBe(0);
    expect(await postconfValue(info, 'smtpd_recipient_restrictions')).toBe(before);
    expect(await postconfValue(info, 'smtpd_sender_restrictions')).not.toContain('check_policy_service');

    const restart = await run(info, 'zmmtactl', ['restart']);
    expect(restart.exitCode).toBe(0);
    expect(restart.stdout).toBe('Rewriting configuration files...done.\n');
    expect(restart.stderr).toContain('refreshing the Postfix mail system');
    const recipient = (await postconfValue(info, 'smtpd_recipient_restrictions')).split(', ');
    expect(recipient[0]).toBe('check_policy_service inet:localhost:10031');
    expect(recipient).toContain('permit_sasl_authenticated');
    const sender = (await postconfValue(info, 'smtpd_sender_restrictions')).split(', ');
    expect(sender[0]).toBe('check_policy_service inet:localhost:10031');
    expect(sender).toEqual(expect.arrayContaining(['permit_mynetworks', 'permit_sasl_authenticated', 'permit_tls_clientcerts']));
    expect(await postconfValue(info, 'smtpd_end_of_data_restrictions')).toBe('');

    expect((await run(info, 'zmcbpolicydctl', ['restart'])).exitCode).toBe(0);
    expect(await postconfValue(info, 'smtpd_end_of_data_restrictions')).toBe('check_policy_service inet:localhost:10031');
  });

  it('8.6.0: the policy port comes from zimbraCBPolicydBindPort, server value over global', async () => {
    const info = await sandbox('8.6.0');
    await run(info, 'zmprov', enable(info.hostname));
    await run(info, 'zmprov', ['mcf', 'zimbraCBPolicydBindPort', '10041']);
    await run(info, 'zmprov', ['ms', info.hostname, 'zimbraCBPolicydBindPort', '10051']);
    await run(info, 'zmmtactl', ['restart']);
    expect(await postconfValue(info, 'smtpd_recipient_restrictions')).toMatch(/^check_policy_service inet:localhost:10051, /);
  });

  it('8.0.9: the port comes from localconfig cbpolicyd_bind_port; sender restrictions carry the check too', async () => {
    const info = await sandbox('8.0.9');
    await run(info, 'zmlocalconfig', ['-e', 'cbpolicyd_bind_port=10099']);
    await run(info, 'zmprov', enable(info.hostname));
    await run(info, 'zmmtactl', ['reload']);
    expect(await postconfValue(info, 'smtpd_recipient_restrictions')).toMatch(/^check_policy_service inet:localhost:10099, /);
    expect(await postconfValue(info, 'smtpd_sender_restrictions')).toMatch(/^check_policy_service inet:localhost:10099, /);
    expect(await postconfValue(info, 'smtpd_end_of_data_restrictions')).toBe('');
    await run(info, 'zmcbpolicydctl', ['start']);
    expect(await postconfValue(info, 'smtpd_end_of_data_restrictions')).toBe('check_policy_service inet:localhost:10099');
  });

  it('8.0+: a zimbraMtaRestriction check_policy_service inet:… value never reaches main.cf', async () => {
    const info = await sandbox('10.1.0');
    await run(info, 'zmprov', ['mcf', '+zimbraMtaRestriction', 'check_policy_service inet:127.0.0.1:10031']);
    await run(info, 'zmcontrol', ['restart']);
    const recipient = await postconfValue(info, 'smtpd_recipient_restrictions');
    expect(recipient).not.toContain('check_policy_service');
    await run(info, 'zmprov', ['mcf', '+zimbraMtaRestriction', 'check_policy_service unix:private/policy', '+zimbraMtaRestriction', 'reject_rbl_client zen.spamhaus.org']);
    await run(info, 'zmmtactl', ['restart']);
    const after = (await postconfValue(info, 'smtpd_recipient_restrictions')).split(', ');
    expect(after).toContain('check_policy_service unix:private/policy');
    expect(after).toContain('reject_rbl_client zen.spamhaus.org');
    expect(after).not.toContain('check_policy_service inet:127.0.0.1:10031');
  });

  it('zmcontrol restart renders both sections and starts cbpolicyd when it is enabled', async () => {
    const info = await sandbox('8.8.15');
    await run(info, 'zmprov', enable(info.hostname));
    const r = await run(info, 'zmcontrol', ['restart']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('\tStopping mta...Done.\n');
    expect(r.stdout).toContain('\tStarting cbpolicyd...Done.\n');
    expect(await postconfValue(info, 'smtpd_recipient_restrictions')).toMatch(/^check_policy_service inet:localhost:10031, /);
    expect(await postconfValue(info, 'smtpd_end_of_data_restrictions')).toBe('check_policy_service inet:localhost:10031');
    expect((await run(info, 'zmcbpolicydctl', ['status'])).exitCode).toBe(0);
  });

  it('8.5+: sender login mismatch and login maps follow their attributes', async () => {
    const info = await sandbox('8.8.15');
    await run(info, 'zmprov', [
      'mcf',
      'zimbraMtaSmtpdSenderRestrictions',
      'reject_authenticated_sender_login_mismatch',
      'zimbraMtaSmtpdSenderLoginMaps',
      'proxy:ldap:/opt/zimbra/conf/ldap-slm.cf',
      'zimbraMtaSmtpdRejectUnlistedSender',
      'yes',
    ]);
    expect(await postconfValue(info, 'smtpd_sender_login_maps')).toBe('');
    await run(info, 'zmmtactl', ['restart']);
    expect((await postconfValue(info, 'smtpd_sender_restrictions')).split(', ')[0]).toBe('reject_authenticated_sender_login_mismatch');
    expect(await postconfValue(info, 'smtpd_sender_login_maps')).toBe('proxy:ldap:/opt/zimbra/conf/ldap-slm.cf');
    expect(await postconfValue(info, 'smtpd_reject_unlisted_sender')).toBe('yes');
  });

  it('disabling cbpolicyd clears the end-of-data check at the next mta rewrite', async () => {
    const info = await sandbox('8.8.15');
    await run(info, 'zmprov', enable(info.hostname));
    await run(info, 'zmcontrol', ['restart']);
    await run(info, 'zmprov', ['ms', info.hostname, '-zimbraServiceEnabled', 'cbpolicyd']);
    await run(info, 'zmmtactl', ['restart']);
    expect(await postconfValue(info, 'smtpd_end_of_data_restrictions')).toBe('');
    expect(await postconfValue(info, 'smtpd_recipient_restrictions')).not.toContain('check_policy_service');
  });
});

describe('7.x rendering', () => {
  it('puts zimbraMtaRestriction values verbatim into the recipient list and the daemon only at end-of-data', async () => {
    const info = await sandbox('7.2.7');
    await run(info, 'zmprov', enable(info.hostname));
    await run(info, 'zmprov', ['mcf', '+zimbraMtaRestriction', 'check_policy_service inet:127.0.0.1:10031']);
    await run(info, 'zmprov', ['ms', info.hostname, '+zimbraMtaRestriction', 'reject_rbl_client bl.example.net']);
    expect(await postconfValue(info, 'smtpd_recipient_restrictions')).not.toContain('check_policy_service');
    await run(info, 'zmmtactl', ['restart']);
    expect(await postconfValue(info, 'smtpd_recipient_restrictions')).toBe(
      'reject_non_fqdn_recipient, permit_sasl_authenticated, permit_mynetworks, reject_unauth_destination, reject_unlisted_recipient, reject_invalid_helo_hostname, reject_non_fqdn_sender, check_policy_service inet:127.0.0.1:10031, reject_rbl_client bl.example.net, permit',
    );
    expect(await postconfValue(info, 'smtpd_sender_restrictions')).not.toContain('check_policy_service');
    await run(info, 'zmcbpolicydctl', ['start']);
    expect(await postconfValue(info, 'smtpd_end_of_data_restrictions')).toBe('check_policy_service inet:127.0.0.1:10031');
  });
});

describe('postconf', () => {
  it('prints name = value, -h values only, warns on unknown parameters and exits 0', async () => {
    const info = await sandbox('8.8.15');
    const r = await run(info, 'postconf', ['smtpd_end_of_data_restrictions', 'no_such_param', 'smtpd_delay_reject']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('smtpd_end_of_data_restrictions =\nsmtpd_delay_reject = yes\n');
    expect(r.stderr).toBe('postconf: warning: no_such_param: unknown parameter\n');
    expect((await run(info, 'postconf', ['-h', 'myhostname'])).stdout).toBe(`${info.hostname}\n`);
  });

  it('-P lists master.cf overrides: 465 and submission empty their recipient restrictions', async () => {
    const info = await sandbox('8.8.15');
    const r = await run(info, 'postconf', ['-P']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    for (const svc of ['465', 'submission']) {
      expect(lines).toContain(`${svc}/inet/smtpd_recipient_restrictions =`);
      expect(lines).toContain(`${svc}/inet/smtpd_relay_restrictions = permit_sasl_authenticated,reject`);
    }
    const one = await run(info, 'postconf', ['-P', 'submission/inet/smtpd_recipient_restrictions']);
    expect(one.stdout).toBe('submission/inet/smtpd_recipient_restrictions =\n');
    const master = await readFile(path.join(info.root, zimbraPaths({ major: 8, minor: 8, patch: 15 }).postfixMasterCf), 'utf8');
    expect(master).toMatch(/^submission inet/m);
  });

  it('Postfix 2.7 (ZCS 7) has neither -P nor smtpd_relay_restrictions', async () => {
    const info = await sandbox('7.2.7');
    const p = await run(info, 'postconf', ['-P']);
    expect(p.exitCode).toBe(1);
    expect(p.stderr).toContain("postconf: invalid option -- 'P'");
    const relay = await run(info, 'postconf', ['smtpd_relay_restrictions']);
    expect(relay.stderr).toBe('postconf: warning: smtpd_relay_restrictions: unknown parameter\n');
  });

  it('-e edits main.cf in place', async () => {
    const info = await sandbox('8.6.0');
    expect((await run(info, 'postconf', ['-e', 'smtpd_client_connection_rate_limit=30'])).exitCode).toBe(0);
    expect(await postconfValue(info, 'smtpd_client_connection_rate_limit')).toBe('30');
    const mainCf = await readFile(path.join(info.root, '/opt/zimbra/postfix/conf/main.cf'), 'utf8');
    expect(mainCf).toContain('smtpd_client_connection_rate_limit = 30\n');
  });
});
