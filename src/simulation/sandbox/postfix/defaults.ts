/** Built-in Postfix parameters the simulated postconf knows, with their defaults and first Postfix release. */
type Def = [name: string, value: string, since?: [number, number]];

const DEFS: Def[] = [
  ['alias_maps', 'hash:/etc/aliases, nis:mail.aliases'],
  ['anvil_rate_time_unit', '60s'],
  ['broken_sasl_auth_clients', 'no'],
  ['command_directory', '/usr/sbin'],
  ['config_directory', '/etc/postfix'],
  ['content_filter', ''],
  ['daemon_directory', '/usr/libexec/postfix'],
  ['data_directory', '/var/lib/postfix'],
  ['disable_vrfy_command', 'no'],
  ['inet_interfaces', 'all'],
  ['inet_protocols', 'all'],
  ['mail_owner', 'postfix'],
  ['message_size_limit', '10240000'],
  ['mydestination', '$myhostname, localhost.$mydomain, localhost'],
  ['myhostname', 'localhost'],
  ['mynetworks', ''],
  ['mynetworks_style', 'subnet'],
  ['queue_directory', '/var/spool/postfix'],
  ['relayhost', ''],
  ['setgid_group', 'postdrop'],
  ['smtpd_banner', '$myhostname ESMTP $mail_name'],
  ['smtpd_client_auth_rate_limit', '0', [3, 1]],
  ['smtpd_client_connection_count_limit', '50'],
  ['smtpd_client_connection_rate_limit', '0'],
  ['smtpd_client_message_rate_limit', '0'],
  ['smtpd_client_recipient_rate_limit', '0'],
  ['smtpd_client_restrictions', ''],
  ['smtpd_data_restrictions', ''],
  ['smtpd_delay_reject', 'yes'],
  ['smtpd_end_of_data_restrictions', ''],
  ['smtpd_etrn_restrictions', ''],
  ['smtpd_helo_required', 'no'],
  ['smtpd_helo_restrictions', ''],
  ['smtpd_milters', ''],
  ['smtpd_policy_service_max_idle', '300s'],
  ['smtpd_policy_service_max_ttl', '1000s'],
  ['smtpd_policy_service_timeout', '100s'],
  ['smtpd_recipient_limit', '1000'],
  ['smtpd_recipient_restrictions', 'permit_mynetworks, reject_unauth_destination'],
  ['smtpd_reject_unlisted_recipient', 'yes'],
  ['smtpd_reject_unlisted_sender', 'no'],
  ['smtpd_relay_restrictions', 'permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination', [2, 10]],
  ['smtpd_sasl_auth_enable', 'no'],
  ['smtpd_sasl_authenticated_header', 'no'],
  ['smtpd_sender_login_maps', ''],
  ['smtpd_sender_restrictions', ''],
  ['smtpd_tls_auth_only', 'no'],
  ['smtpd_tls_security_level', ''],
  ['smtpd_tls_wrappermode', 'no'],
  ['syslog_name', 'postfix'],
  ['transport_maps', ''],
  ['virtual_alias_maps', '$virtual_maps'],
  ['virtual_mailbox_domains', '$virtual_mailbox_maps'],
  ['virtual_mailbox_maps', ''],
  ['virtual_transport', 'virtual'],
];

/** Defaults of the built-in parameters of a Postfix release (mail_version included). */
export function postfixDefaults(postfix: { major: number; minor: number; patch: number }): Map<string, string> {
  const defaults = new Map<string, string>();
  const at = (v: [number, number]) => postfix.major > v[0] || (postfix.major === v[0] && postfix.minor >= v[1]);
  for (const [name, value, since] of DEFS) {
    if (!since || at(since)) defaults.set(name, value);
  }
  // Postfix 2.10 emptied smtpd_recipient_restrictions once smtpd_relay_restrictions took over relay control.
  if (at([2, 10])) defaults.set('smtpd_recipient_restrictions', '');
  defaults.set('mail_version', `${postfix.major}.${postfix.minor}.${postfix.patch}`);
  return defaults;
}
