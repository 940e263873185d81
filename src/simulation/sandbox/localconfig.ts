/** /opt/zimbra/conf/localconfig.xml: Zimbra's per-host key/value store. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomicSync } from './state.js';
import { since, type VersionProfile } from './versions.js';

export const LOCALCONFIG = '/opt/zimbra/conf/localconfig.xml';

export type LocalConfig = Map<string, string>;

const unescape = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function parseLocalConfig(xml: string): LocalConfig {
  const lc: LocalConfig = new Map();
  const keyRe = /<key\s+name="([^"]*)"\s*>\s*(?:<value>([\s\S]*?)<\/value>|<value\s*\/>)\s*<\/key>/g;
  for (const m of xml.matchAll(keyRe)) lc.set(unescape(m[1] as string), unescape(m[2] ?? ''));
  return lc;
}

export function formatLocalConfig(lc: LocalConfig): string {
  const keys = [...lc.keys()].sort();
  const body = keys.map((k) => `  <key name="${escape(k)}">\n    <value>${escape(lc.get(k) ?? '')}</value>\n  </key>\n`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n\n<localconfig>\n${body}</localconfig>\n`;
}

export function readLocalConfigSync(root: string): LocalConfig {
  return parseLocalConfig(fs.readFileSync(path.join(root, LOCALCONFIG), 'utf8'));
}

export function writeLocalConfigSync(root: string, lc: LocalConfig): void {
  writeFileAtomicSync(path.join(root, LOCALCONFIG), formatLocalConfig(lc), 0o640);
}

/** Expands ${key} references, as `zmlocalconfig -x` does. */
export function expandValue(lc: LocalConfig, value: string, depth = 0): string {
  if (depth > 10) return value;
  return value.replace(/\$\{([^}]+)\}/g, (_, key: string) => expandValue(lc, lc.get(key) ?? '', depth + 1));
}

const secret = () => randomBytes(9).toString('base64').replace(/[+/=]/g, 'x');

/** The keys a fresh install writes. */
export function initialLocalConfig(profile: VersionProfile, hostname: string, firstDomain: string): LocalConfig {
  const entries: [string, string][] = [
    ['zimbra_home', '/opt/zimbra'],
    ['zimbra_user', 'zimbra'],
    ['zimbra_uid', '1001'],
    ['zimbra_server_hostname', hostname],
    ['zimbra_log_directory', '${zimbra_home}/log'],
    ['zimbra_db_directory', '${zimbra_home}/db'],
    ['zimbra_tmp_directory', '${zimbra_home}/data/tmp'],
    ['ldap_url', `ldap://${hostname}:389`],
    ['ldap_master_url', `ldap://${hostname}:389`],
    ['ldap_host', hostname],
    ['ldap_port', '389'],
    ['ldap_is_master', 'true'],
    ['ldap_root_password', secret()],
    ['zimbra_ldap_userdn', 'uid=zimbra,cn=admins,cn=zimbra'],
    ['zimbra_ldap_user', 'zimbra'],
    ['zimbra_ldap_password', secret()],
    ['mysql_root_password', secret()],
    ['zimbra_mysql_password', secret()],
    ['zimbra_zmprov_default_to_ldap', 'false'],
    ['zimbra_zmprov_default_soap_server', 'localhost'],
    ['postfix_mail_owner', 'postfix'],
    ['postfix_setgid_group', 'postdrop'],
    ['av_notify_domain', firstDomain],
    ['av_notify_user', `admin@${firstDomain}`],
    ['ssl_allow_untrusted_certs', 'false'],
    ['cbpolicyd_db_file', '${zimbra_home}/data/cbpolicyd/db/cbpolicyd.sqlitedb'],
    ['cbpolicyd_log_file', '${zimbra_log_directory}/cbpolicyd.log'],
    ['cbpolicyd_pid_file', '${zimbra_log_directory}/cbpolicyd.pid'],
    ['cbpolicyd_log_mail', 'main'],
    ['cbpolicyd_log_detail', 'modules'],
  ];
  if (since(profile, '8.0.0')) entries.push(['zmprov_safeguarded_attrs', 'zimbraServiceEnabled,zimbraServiceInstalled']);
  if (since(profile, '8.5.0')) {
    entries.push(['cbpolicyd_cache_file', '${zimbra_home}/data/cbpolicyd/cbpolicyd.cache']);
  } else {
    // Before 8.5 the cbpolicyd tunables were localconfig keys (moved to LDAP by the 8.5 upgrade).
    entries.push(
      ['cbpolicyd_cache_file', '${zimbra_home}/data/cache'],
      ['cbpolicyd_bind_port', '10031'],
      ['cbpolicyd_bypass_mode', 'tempfail'],
      ['cbpolicyd_bypass_timeout', '30'],
      ['cbpolicyd_log_level', '3'],
      ['cbpolicyd_module_accesscontrol', '0'],
      ['cbpolicyd_module_accounting', '0'],
      ['cbpolicyd_module_amavis', '0'],
      ['cbpolicyd_module_checkhelo', '0'],
      ['cbpolicyd_module_checkspf', '0'],
      ['cbpolicyd_module_greylisting', '0'],
      ['cbpolicyd_module_quotas', '1'],
      ['cbpolicyd_min_servers', '4'],
      ['cbpolicyd_min_spare_servers', '4'],
      ['cbpolicyd_max_spare_servers', '12'],
      ['cbpolicyd_max_servers', '25'],
      ['cbpolicyd_max_requests', '1000'],
      ['cbpolicyd_timeout_idle', '1020'],
      ['cbpolicyd_timeout_busy', '120'],
    );
  }
  return new Map(entries);
}
