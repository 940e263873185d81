/** The parts of Zimbra's main.cf that the hardening sections do not own. */
import { zimbraPaths } from '../../../zimbra/paths.js';
import { since, type VersionProfile } from '../versions.js';

export function baseMainCf(profile: VersionProfile, hostname: string): string {
  const paths = zimbraPaths(profile);
  const conf = paths.postfixMainCf.replace(/\/main\.cf$/, '');
  const sbin = paths.postconf.replace(/\/postconf$/, '');
  const map = profile.mapType;
  const relocated = since(profile, '8.7.0');
  const entries: [string, string][] = [
    ['alias_maps', `${map}:/etc/aliases`],
    ['broken_sasl_auth_clients', 'yes'],
    ['command_directory', sbin],
    ['config_directory', conf],
    ['content_filter', since(profile, '8.0.0') ? 'smtp-amavis:[127.0.0.1]:10032' : 'smtp-amavis:[127.0.0.1]:10024'],
    ['daemon_directory', relocated ? '/opt/zimbra/common/libexec' : '/opt/zimbra/postfix/libexec'],
    ['data_directory', '/opt/zimbra/data/postfix/data'],
    ['disable_dns_lookups', 'no'],
    ['header_checks', ''],
    ['inet_protocols', 'ipv4'],
    ['mail_owner', 'postfix'],
    ['mailq_path', `${sbin}/mailq`],
    ['manpage_directory', relocated ? '/opt/zimbra/common/share/man' : '/opt/zimbra/postfix/man'],
    ['message_size_limit', '10240000'],
    ['mydestination', 'localhost'],
    ['myhostname', hostname],
    ['mynetworks', '127.0.0.0/8'],
    ['newaliases_path', `${sbin}/newaliases`],
    ['queue_directory', '/opt/zimbra/data/postfix/spool'],
    ['relayhost', ''],
    ['sendmail_path', `${sbin}/sendmail`],
    ['setgid_group', 'postdrop'],
    ['smtpd_banner', '$myhostname ESMTP $mail_name'],
    ['smtpd_client_restrictions', 'reject_unauth_pipelining'],
    ['smtpd_data_restrictions', 'reject_unauth_pipelining'],
    ['smtpd_helo_required', 'yes'],
    ['smtpd_sasl_auth_enable', 'yes'],
    ['smtpd_sasl_authenticated_header', 'no'],
    ['smtpd_tls_auth_only', 'yes'],
    ['smtpd_tls_security_level', 'may'],
    ['smtpd_tls_cert_file', '/opt/zimbra/conf/smtpd.crt'],
    ['smtpd_tls_key_file', '/opt/zimbra/conf/smtpd.key'],
    ['transport_maps', 'proxy:ldap:/opt/zimbra/conf/ldap-transport.cf'],
    ['virtual_alias_maps', 'proxy:ldap:/opt/zimbra/conf/ldap-vam.cf'],
    ['virtual_mailbox_domains', 'proxy:ldap:/opt/zimbra/conf/ldap-vmd.cf'],
    ['virtual_mailbox_maps', 'proxy:ldap:/opt/zimbra/conf/ldap-vmm.cf'],
    ['virtual_transport', 'error'],
  ];
  return `${entries.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
}
