import { isIP } from 'node:net';
import { CONTROL_IDS } from '../controls/ids.js';
import { isIpOrCidr, tooBroadProblem } from '../core/cidr.js';
import { domainOf, isAccountName, isDomainName } from '../zimbra/names.js';
import { resolverProblem } from '../core/resolver-address.js';
import { countProblem, flagHint, flagOfKey, keyOf, OPTIONS, SETTINGS } from '../core/options.js';
import type { Settings } from '../core/settings.js';

export interface SettingProblem {
  /** Config key path, e.g. `catchAll[0].domain`. */
  key: string;
  /** The flag that sets it; undefined for keys only the config file has. */
  flag?: string;
  message: string;
}

/** A problem with the config key, and the flag that sets it (from the option table). */
function problem(key: string, message: string): SettingProblem {
  const flag = flagOfKey(key);
  return flag === undefined ? { key, message } : { key, flag, message };
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
    if (!isDomainName(domain)) problems.push(problem(`${key}.domain`, `${JSON.stringify(domain)} is not a domain name`));
    else if (!isAccountName(account)) problems.push(problem(`${key}.account`, `${JSON.stringify(account)} is not an account name (user@domain)`));
    else if (domainOf(account) !== domain.toLowerCase()) {
      problems.push(problem(`${key}.account`, `${account} is outside ${domain}: the catch-all account must be in its domain`));
    }
    if (seen.has(domain.toLowerCase())) problems.push(problem(`${key}.domain`, `${domain} is given twice`));
    seen.add(domain.toLowerCase());
  });
  (settings.skip ?? []).forEach((id, i) => {
    if (!CONTROL_IDS.includes(id)) problems.push(problem(`skip[${i}]`, `${JSON.stringify(id)} is no control id (known: ${CONTROL_IDS.join(', ')})`));
  });
  problems.push(...checkCounts(settings), ...checkWebuiAllow(settings), ...checkMonitor(settings), ...checkReportChannels(settings, partial), ...checkIncident(settings));
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
  const address = (key: string, value: string | undefined) => {
    if (value !== undefined && !isAccountName(value)) problems.push(problem(key, `${JSON.stringify(value.slice(0, 80))} is not a plain e-mail address (user@domain)`));
  };
  address('monitor.reportTo', monitor.reportTo);
  address('monitor.reportFrom', monitor.reportFrom);
  (monitor.ownAddresses ?? []).forEach((value, i) => {
    const ok = value.startsWith('@') ? isDomainName(value.slice(1)) : isAccountName(value);
    if (!ok) problems.push(problem(`monitor.ownAddresses[${i}]`, `${JSON.stringify(value.slice(0, 80))} is neither an address (user@domain) nor @domain`));
  });
  for (const account of Object.keys(monitor.allowances ?? {})) {
    if (!isAccountName(account)) problems.push(problem(`monitor.allowances.${account.slice(0, 80)}`, `${JSON.stringify(account.slice(0, 80))} is not an account name (user@domain)`));
  }
  return problems;
}

function checkIncident(settings: Settings): SettingProblem[] {
  const incident = settings.incident;
  if (!incident) return [];
  const problems: SettingProblem[] = [];
  (incident.resolvers ?? []).forEach((value, i) => {
    const wrong = resolverProblem(value);
    if (wrong) problems.push(problem(`incident.resolvers[${i}]`, wrong));
  });
  (incident.blocklists ?? []).forEach((value, i) => {
    if (!isDomainName(value)) problems.push(problem(`incident.blocklists[${i}]`, `${JSON.stringify(value.slice(0, 80))} is not a DNS zone`));
  });
  if (incident.publicIp !== undefined && isIP(incident.publicIp) !== 4) {
    problems.push(problem('incident.publicIp', `${JSON.stringify(incident.publicIp.slice(0, 80))} is not an IPv4 address`));
  }
  return problems;
}

/** Where the monitor's reports go: a smarthost that can be reached, a login with its password file, a web URL. */
function checkReportChannels(settings: Settings, partial: boolean): SettingProblem[] {
  const m = settings.monitor;
  if (!m) return [];
  const problems: SettingProblem[] = [];
  const add = (key: string, message: string) => problems.push(problem(`monitor.${key}`, message));
  if (m.smtpHost !== undefined && !isHostName(m.smtpHost)) add('smtpHost', `${JSON.stringify(m.smtpHost.slice(0, 80))} is not a host name or IP address`);
  if (m.smtpUser !== undefined && !/^[\x21-\x7e]{1,256}$/.test(m.smtpUser)) add('smtpUser', 'expected a login without spaces or control characters');
  if (!partial && m.smtpUser !== undefined && m.smtpPasswordFile === undefined) add('smtpPasswordFile', `the smarthost login ${m.smtpUser} needs a password file`);
  if (m.smtpPasswordFile !== undefined) {
    if (!m.smtpPasswordFile.startsWith('/')) add('smtpPasswordFile', `${JSON.stringify(m.smtpPasswordFile)} is not an absolute path`);
    else if (!partial && m.smtpUser === undefined) add('smtpUser', 'a password file without a login: give the login too');
  }
  if (m.webhookUrl !== undefined && !isWebUrl(m.webhookUrl)) add('webhookUrl', 'expected an http:// or https:// URL');
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

/** Every number of the option table within its range (the outbound limit, the monitor's interval, ports). */
function checkCounts(settings: Settings): SettingProblem[] {
  const problems: SettingProblem[] = [];
  for (const { key, option } of OPTIONS) {
    if (option.kind !== 'count') continue;
    const value = valueAt(settings, key);
    const wrong = typeof value === 'number' ? countProblem(option, value) : undefined;
    if (wrong) problems.push(problem(key, wrong));
  }
  return problems;
}

function valueAt(settings: Settings, key: string): unknown {
  return key.split('.').reduce<unknown>((at, name) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[name] : undefined), settings);
}

/** Why one --webui-allow network is refused (not an address Apache accepts, or far too broad), or undefined. */
export function webuiAllowProblem(value: string): string | undefined {
  if (!isIpOrCidr(value)) return `${JSON.stringify(value)} is not an IP address or network (e.g. 192.0.2.0/24)`;
  return tooBroadProblem(value);
}

function checkWebuiAllow(settings: Settings): SettingProblem[] {
  return (settings.webuiAllow ?? []).flatMap((value, i) => {
    const wrong = webuiAllowProblem(value);
    return wrong ? [problem(`webuiAllow[${i}]`, wrong)] : [];
  });
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
    const option = SETTINGS.catchAll;
    missing.push({ key: keyOf(option), flag: `${flagHint(option, option.arg.toUpperCase())} (repeatable)`, what: 'the account that receives mail for unknown addresses of each domain' });
  }
  return missing;
}
