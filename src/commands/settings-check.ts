import { isIP } from 'node:net';
import { CONTROL_IDS } from '../controls/index.js';
import { isIpOrCidr, tooBroadProblem } from '../core/cidr.js';
import { domainOf, isAccountName, isDomainName } from '../zimbra/names.js';
import { resolverProblem } from '../core/resolver-address.js';
import type { Settings } from '../core/settings.js';

export interface SettingProblem {
  /** Config key path, e.g. `catchAll[0].domain`. */
  key: string;
  /** The flag that sets it; undefined for keys only the config file has. */
  flag?: string;
  message: string;
}

/**
 * Checks values that the schema's types cannot: names, addresses, networks, control ids, report
 * channels. The flags and the config file go through the same checks, so a file cannot hold what a
 * flag would refuse. `partial`: settings from flags alone, whose other half may come from the config file.
 */
export function checkSettings(settings: Settings, partial = false): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const seen = new Set<string>();
  (settings.catchAll ?? []).forEach(({ domain, account }, i) => {
    const key = `catchAll[${i}]`;
    const flag = '--catch-all';
    if (!isDomainName(domain)) problems.push({ key: `${key}.domain`, flag, message: `${JSON.stringify(domain)} is not a domain name` });
    else if (!isAccountName(account)) problems.push({ key: `${key}.account`, flag, message: `${JSON.stringify(account)} is not an account name (user@domain)` });
    else if (domainOf(account) !== domain.toLowerCase()) {
      problems.push({ key: `${key}.account`, flag, message: `${account} is outside ${domain}: the catch-all account must be in its domain` });
    }
    if (seen.has(domain.toLowerCase())) problems.push({ key: `${key}.domain`, flag, message: `${domain} is given twice` });
    seen.add(domain.toLowerCase());
  });
  (settings.skip ?? []).forEach((id, i) => {
    if (!CONTROL_IDS.includes(id)) problems.push({ key: `skip[${i}]`, flag: '--skip', message: `${JSON.stringify(id)} is no control id (known: ${CONTROL_IDS.join(', ')})` });
  });
  problems.push(...checkLimits(settings), ...checkMonitor(settings), ...checkReportChannels(settings, partial), ...checkIncident(settings));
  return problems;
}

/** A host name or address to connect to (no scheme, no port, nothing a URL or a header could carry). */
function isHostName(value: string): boolean {
  return isIP(value) !== 0 || /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value);
}

/** The monitor mails its report: every address must be plain (no display name, no line break to inject headers). */
function checkMonitor(settings: Settings): SettingProblem[] {
  const monitor = settings.monitor;
  if (!monitor) return [];
  const problems: SettingProblem[] = [];
  const address = (key: string, flag: string | undefined, value: string | undefined) => {
    if (value !== undefined && !isAccountName(value)) problems.push({ key, flag, message: `${JSON.stringify(value.slice(0, 80))} is not a plain e-mail address (user@domain)` });
  };
  address('monitor.reportTo', '--report-to', monitor.reportTo);
  address('monitor.reportFrom', undefined, monitor.reportFrom);
  (monitor.ownAddresses ?? []).forEach((value, i) => {
    const ok = value.startsWith('@') ? isDomainName(value.slice(1)) : isAccountName(value);
    if (!ok) problems.push({ key: `monitor.ownAddresses[${i}]`, message: `${JSON.stringify(value.slice(0, 80))} is neither an address (user@domain) nor @domain` });
  });
  for (const account of Object.keys(monitor.allowances ?? {})) {
    if (!isAccountName(account)) problems.push({ key: `monitor.allowances.${account.slice(0, 80)}`, message: `${JSON.stringify(account.slice(0, 80))} is not an account name (user@domain)` });
  }
  return problems;
}

function checkIncident(settings: Settings): SettingProblem[] {
  const incident = settings.incident;
  if (!incident) return [];
  const problems: SettingProblem[] = [];
  (incident.resolvers ?? []).forEach((value, i) => {
    const problem = resolverProblem(value);
    if (problem) problems.push({ key: `incident.resolvers[${i}]`, flag: '--resolver', message: problem });
  });
  (incident.blocklists ?? []).forEach((value, i) => {
    if (!isDomainName(value)) problems.push({ key: `incident.blocklists[${i}]`, flag: '--blocklist', message: `${JSON.stringify(value.slice(0, 80))} is not a DNS zone` });
  });
  if (incident.publicIp !== undefined && isIP(incident.publicIp) !== 4) {
    problems.push({ key: 'incident.publicIp', flag: '--ip', message: `${JSON.stringify(incident.publicIp.slice(0, 80))} is not an IPv4 address` });
  }
  return problems;
}

/** Where the monitor's reports go: a smarthost that can be reached, a login with its password file, a web URL. */
function checkReportChannels(settings: Settings, partial: boolean): SettingProblem[] {
  const m = settings.monitor;
  if (!m) return [];
  const problems: SettingProblem[] = [];
  const add = (key: string, flag: string, message: string) => problems.push({ key: `monitor.${key}`, flag, message });
  if (m.smtpHost !== undefined && !isHostName(m.smtpHost)) add('smtpHost', '--smtp-host', `${JSON.stringify(m.smtpHost.slice(0, 80))} is not a host name or IP address`);
  if (m.smtpUser !== undefined && !/^[\x21-\x7e]{1,256}$/.test(m.smtpUser)) add('smtpUser', '--smtp-user', 'expected a login without spaces or control characters');
  if (!partial && m.smtpUser !== undefined && m.smtpPasswordFile === undefined) add('smtpPasswordFile', '--smtp-password-file', `the smarthost login ${m.smtpUser} needs a password file`);
  if (m.smtpPasswordFile !== undefined) {
    if (!m.smtpPasswordFile.startsWith('/')) add('smtpPasswordFile', '--smtp-password-file', `${JSON.stringify(m.smtpPasswordFile)} is not an absolute path`);
    else if (!partial && m.smtpUser === undefined) add('smtpUser', '--smtp-user', 'a password file without a login: give the login too');
  }
  if (m.webhookUrl !== undefined && !isWebUrl(m.webhookUrl)) add('webhookUrl', '--webhook-url', 'expected an http:// or https:// URL');
  return problems;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Outbound limit and web UI access: numbers in range, addresses that Apache will accept. */
function checkLimits(settings: Settings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  const { limit, periodSeconds } = settings.quota ?? {};
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000)) {
    problems.push({ key: 'quota.limit', flag: '--quota', message: `${limit} is not a number of recipients from 1 to 1000000` });
  }
  if (periodSeconds !== undefined && (!Number.isInteger(periodSeconds) || periodSeconds < 60 || periodSeconds > 2_592_000)) {
    problems.push({ key: 'quota.periodSeconds', flag: '--quota-period', message: `${periodSeconds} is not a period from 60 s to 30 days (2592000 s; cbpolicyd forgets counters after 30 days)` });
  }
  (settings.webuiAllow ?? []).forEach((value, i) => {
    const key = `webuiAllow[${i}]`;
    const flag = '--webui-allow';
    if (!isIpOrCidr(value)) problems.push({ key, flag, message: `${JSON.stringify(value)} is not an IP address or network (e.g. 192.0.2.0/24)` });
    else {
      const broad = tooBroadProblem(value);
      if (broad) problems.push({ key, flag, message: broad });
    }
  });
  return problems;
}

export interface MissingSetting {
  key: string;
  flag: string;
  what: string;
}

/** Settings plan and apply cannot do without. */
export function missingSettings(settings: Settings): MissingSetting[] {
  const skip = new Set(settings.skip ?? []);
  const missing: MissingSetting[] = [];
  if (!skip.has('catch-all') && settings.catchAll === undefined) {
    missing.push({ key: 'catchAll', flag: '--catch-all DOMAIN=ACCOUNT (repeatable)', what: 'the account that receives mail for unknown addresses of each domain' });
  }
  return missing;
}
