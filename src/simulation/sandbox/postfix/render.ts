/**
 * What zmconfigd writes into Postfix's main.cf when a section is rewritten
 * (`configrewrite mta`, `configrewrite cbpolicyd`), per release.
 */
import type { Attrs, LdapState } from '../state.js';
import { expandValue, type LocalConfig } from '../localconfig.js';
import { serverAttrs } from '../ldap/directory.js';
import { since, type VersionProfile } from '../versions.js';
import { joinList } from './main-cf.js';

export type Section = 'mta' | 'cbpolicyd';

export interface RenderContext {
  profile: VersionProfile;
  hostname: string;
  ldap: LdapState;
  lc: LocalConfig;
}

/** The server's view of the directory: its own attributes plus inherited global ones. */
function vars(ctx: RenderContext): Attrs {
  return serverAttrs(ctx.ldap, ctx.hostname, ctx.profile, true);
}

const joined = (v: Attrs, name: string) => (v[name] ?? []).join(' ');
/** `%%contains VAR:x str%%`: str when it is a substring of the value. */
const contains = (v: Attrs, name: string, str: string) => joined(v, name).includes(str);
/** `%%exact VAR:x token%%`: token when it is one of the value's tokens. */
const exact = (v: Attrs, name: string, token: string) => joined(v, name).split(/[\s,]+/).includes(token);

export function cbpolicydEnabled(ctx: RenderContext): boolean {
  return (vars(ctx).zimbraServiceEnabled ?? []).includes('cbpolicyd');
}

/** Port cbpolicyd listens on: LDAP (server, then global) since 8.5, localconfig before. */
export function cbpolicydPort(ctx: RenderContext): string {
  if (since(ctx.profile, '8.5.0')) return vars(ctx).zimbraCBPolicydBindPort?.[0] ?? '10031';
  return expandValue(ctx.lc, ctx.lc.get('cbpolicyd_bind_port') ?? '10031');
}

function policyLine(ctx: RenderContext): string {
  const host = since(ctx.profile, '8.0.0') ? 'localhost' : '127.0.0.1';
  return `check_policy_service inet:${host}:${cbpolicydPort(ctx)}`;
}

const RESTRICTION_TOKENS = [
  'reject_invalid_helo_hostname',
  'reject_non_fqdn_helo_hostname',
  'reject_non_fqdn_sender',
  'reject_unknown_client_hostname',
  'reject_unknown_reverse_client_hostname',
  'reject_unknown_helo_hostname',
  'reject_unknown_sender_domain',
];

function explode(v: Attrs, prefix: string): string[] {
  return (v.zimbraMtaRestriction ?? []).filter((r) => r.startsWith(`${prefix} `)).map((r) => `${prefix} ${r.slice(prefix.length).trim()}`);
}

/** 7.x: the restriction list with every zimbraMtaRestriction value (global, then server) verbatim. */
function recipientRestrictions7(ctx: RenderContext): string[] {
  const global = ctx.ldap.config.zimbraMtaRestriction ?? [];
  const own = ctx.ldap.servers[ctx.hostname]?.zimbraMtaRestriction ?? [];
  const values = [...global, ...own.filter((r) => !global.includes(r))];
  return ['reject_non_fqdn_recipient', 'permit_sasl_authenticated', 'permit_mynetworks', 'reject_unauth_destination', 'reject_unlisted_recipient', ...values, 'permit'];
}

function recipientRestrictions(ctx: RenderContext): string[] {
  if (!since(ctx.profile, '8.0.0')) return recipientRestrictions7(ctx);
  const v = vars(ctx);
  const modern = since(ctx.profile, '8.5.0');
  const map = ctx.profile.mapType;
  const out: string[] = [];
  if (modern && contains(v, 'zimbraMtaRestriction', `check_client_access ${map}:/opt/zimbra/conf/postfix_blacklist`)) {
    out.push(`check_client_access ${map}:/opt/zimbra/conf/postfix_blacklist`);
  }
  if (cbpolicydEnabled(ctx)) out.push(policyLine(ctx));
  out.push('reject_non_fqdn_recipient', 'permit_sasl_authenticated', 'permit_mynetworks', 'reject_unlisted_recipient');
  const test = modern ? exact : contains;
  for (const token of RESTRICTION_TOKENS) if (test(v, 'zimbraMtaRestriction', token)) out.push(token);
  if (modern && exact(v, 'zimbraMtaRestriction', 'reject_unverified_recipient')) out.push('reject_unverified_recipient');
  if (modern && contains(v, 'zimbraMtaRestriction', `check_client_access ${map}:/opt/zimbra/conf/postfix_rbl_override`)) {
    out.push(`check_client_access ${map}:/opt/zimbra/conf/postfix_rbl_override`);
  }
  for (const prefix of ['reject_rbl_client', 'reject_rhsbl_client', 'reject_rhsbl_reverse_client', 'reject_rhsbl_sender']) {
    out.push(...explode(v, prefix));
  }
  if (contains(v, 'zimbraMtaRestriction', 'check_policy_service unix:private/policy')) out.push('check_policy_service unix:private/policy');
  if (modern && exact(v, 'zimbraMtaRestriction', 'reject')) out.push('reject');
  out.push('permit');
  return out;
}

function senderRestrictions(ctx: RenderContext): string[] {
  const v = vars(ctx);
  const conf = since(ctx.profile, '8.7.0') ? '/opt/zimbra/common/conf' : '/opt/zimbra/postfix/conf';
  const tagging = (v.zimbraServiceEnabled ?? []).includes(ctx.profile.amavisService);
  const out: string[] = [];
  if (since(ctx.profile, '8.0.0')) {
    if (since(ctx.profile, '8.5.0')) {
      if (exact(v, 'zimbraMtaSmtpdSenderRestrictions', 'reject_authenticated_sender_login_mismatch')) {
        out.push('reject_authenticated_sender_login_mismatch');
      }
      const rejectSender = `check_sender_access ${ctx.profile.mapType}:/opt/zimbra/conf/postfix_reject_sender`;
      if (contains(v, 'zimbraMtaSmtpdSenderRestrictions', rejectSender)) out.push(rejectSender);
    }
    if (cbpolicydEnabled(ctx)) out.push(policyLine(ctx));
  }
  if (tagging) out.push(`check_sender_access regexp:${conf}/tag_as_originating.re`);
  if (tagging || since(ctx.profile, '8.0.0')) out.push('permit_mynetworks', 'permit_sasl_authenticated', 'permit_tls_clientcerts');
  if (tagging) out.push(`check_sender_access regexp:${conf}/tag_as_foreign.re`);
  return out;
}

function senderLoginMaps(v: Attrs): string[] {
  const out: string[] = [];
  for (const map of ['lmdb:/opt/zimbra/conf/slm-exceptions-db', 'proxy:ldap:/opt/zimbra/conf/ldap-slm.cf']) {
    if (contains(v, 'zimbraMtaSmtpdSenderLoginMaps', map)) out.push(map);
  }
  return out;
}

/** Parameters zmconfigd sets in main.cf for one section. */
export function renderSection(ctx: RenderContext, section: Section): Map<string, string> {
  const params = new Map<string, string>();
  const v = vars(ctx);
  const enabled = cbpolicydEnabled(ctx);
  if (section === 'mta') {
    params.set('myhostname', ctx.hostname);
    params.set('mynetworks', joined(v, 'zimbraMtaMyNetworks'));
    params.set('smtpd_recipient_restrictions', joinList(recipientRestrictions(ctx)));
    if (since(ctx.profile, '8.0.0')) {
      params.set('smtpd_relay_restrictions', joinList(['permit_sasl_authenticated', 'permit_mynetworks', 'reject_unauth_destination']));
    }
    params.set('smtpd_sender_restrictions', joinList(senderRestrictions(ctx)));
    if (since(ctx.profile, '8.5.0')) {
      params.set('smtpd_sender_login_maps', joinList(senderLoginMaps(v)));
      params.set('smtpd_reject_unlisted_recipient', v.zimbraMtaSmtpdRejectUnlistedRecipient?.[0] ?? 'no');
      params.set('smtpd_reject_unlisted_sender', v.zimbraMtaSmtpdRejectUnlistedSender?.[0] ?? 'no');
    }
    if (since(ctx.profile, '8.7.0')) params.set('smtpd_client_auth_rate_limit', v.zimbraMtaSmtpdClientAuthRateLimit?.[0] ?? '0');
    if (!enabled) params.set('smtpd_end_of_data_restrictions', '');
  } else {
    params.set('smtpd_end_of_data_restrictions', enabled ? policyLine(ctx) : '');
  }
  return params;
}

/** cbpolicyd.conf as the cbpolicyd section renders it from cbpolicyd.conf.in. */
export function renderCbpolicydConf(ctx: RenderContext): string {
  const v = vars(ctx);
  const modern = since(ctx.profile, '8.5.0');
  const lc = (key: string, fallback: string) => expandValue(ctx.lc, ctx.lc.get(key) ?? fallback);
  const flag = (attr: string, key: string, fallback: string) =>
    modern ? ((v[attr]?.[0] ?? 'FALSE').toUpperCase() === 'TRUE' ? '1' : '0') : lc(key, fallback);
  const setting = (attr: string, key: string, fallback: string) => (modern ? (v[attr]?.[0] ?? fallback) : lc(key, fallback));
  return [
    '[server]',
    `log_level=${setting('zimbraCBPolicydLogLevel', 'cbpolicyd_log_level', '3')}`,
    `log_file=${lc('cbpolicyd_log_file', '/opt/zimbra/log/cbpolicyd.log')}`,
    `log_mail=${lc('cbpolicyd_log_mail', 'main')}`,
    `log_detail=${lc('cbpolicyd_log_detail', 'modules')}`,
    `pid_file=${lc('cbpolicyd_pid_file', '/opt/zimbra/log/cbpolicyd.pid')}`,
    'host=127.0.0.1',
    `port=${cbpolicydPort(ctx)}`,
    `bypass_mode=${setting('zimbraCBPolicydBypassMode', 'cbpolicyd_bypass_mode', 'tempfail')}`,
    `bypass_timeout=${setting('zimbraCBPolicydBypassTimeout', 'cbpolicyd_bypass_timeout', '30')}`,
    '',
    '[database]',
    `DSN=DBI:SQLite:dbname=${lc('cbpolicyd_db_file', '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb')}`,
    '',
    '[AccessControl]',
    `enable=${flag('zimbraCBPolicydAccessControlEnabled', 'cbpolicyd_module_accesscontrol', '0')}`,
    '',
    '[Accounting]',
    `enable=${flag('zimbraCBPolicydAccountingEnabled', 'cbpolicyd_module_accounting', '0')}`,
    '',
    '[Amavis]',
    `enable=${flag('zimbraCBPolicydAmavisEnabled', 'cbpolicyd_module_amavis', '0')}`,
    '',
    '[CheckHelo]',
    `enable=${flag('zimbraCBPolicydCheckHeloEnabled', 'cbpolicyd_module_checkhelo', '0')}`,
    '',
    '[CheckSPF]',
    `enable=${flag('zimbraCBPolicydCheckSPFEnabled', 'cbpolicyd_module_checkspf', '0')}`,
    '',
    '[Greylisting]',
    `enable=${flag('zimbraCBPolicydGreylistingEnabled', 'cbpolicyd_module_greylisting', '0')}`,
    '',
    '[Quotas]',
    `enable=${modern ? flag('zimbraCBPolicydQuotasEnabled', '', '1') : lc('cbpolicyd_module_quotas', '1')}`,
    '',
  ].join('\n');
}
