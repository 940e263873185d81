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

/** Checks values that the schema's types cannot: names, and that a catch-all account is in its domain. */
export function checkSettings(settings: Settings): SettingProblem[] {
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
  problems.push(...checkLimits(settings));
  return problems;
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
