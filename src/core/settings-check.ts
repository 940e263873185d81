import { isIpOrCidr } from './cidr.js';
import { domainOf, isAccountName, isDomainName } from './names.js';
import type { Settings } from './settings.js';

export interface SettingProblem {
  /** Config key path, e.g. `catchAll[0].domain`. */
  key: string;
  /** The flag that sets it. */
  flag: string;
  message: string;
}

/**
 * Checks values that the schema's types cannot: names, and that a catch-all account is in its domain.
 * `partial`: settings from flags alone, whose other half may come from the config file.
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
  problems.push(...checkLimits(settings), ...checkReportChannels(settings, partial));
  return problems;
}

const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[?[0-9A-Fa-f:.]+\]?)$/;

/** Where the monitor's reports go: a smarthost that can be reached, a login with its password file, a web URL. */
function checkReportChannels(settings: Settings, partial: boolean): SettingProblem[] {
  const m = settings.monitor;
  if (!m) return [];
  const problems: SettingProblem[] = [];
  const add = (key: string, flag: string, message: string) => problems.push({ key: `monitor.${key}`, flag, message });
  if (m.smtpHost !== undefined && !HOST_NAME.test(m.smtpHost)) add('smtpHost', '--smtp-host', `${JSON.stringify(m.smtpHost)} is not a host name or IP address`);
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
    if (!isIpOrCidr(value)) problems.push({ key: `webuiAllow[${i}]`, flag: '--webui-allow', message: `${JSON.stringify(value)} is not an IP address or network (e.g. 192.0.2.0/24)` });
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
