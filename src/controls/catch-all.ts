import type { Control, Item } from '../core/types.js';
import { domainOf } from '../zimbra/names.js';
import { accountsByDomain, listedNames, preferredCatchAll } from '../zimbra/catch-all-candidates.js';
import { hasValue, parseEntries, type ZmprovResult } from '../zimbra/zmprov-batch.js';

export const CATCH_ALL = 'catch-all';

/** The zmprov reads: each account's catch-all value, or without the setting the domains and accounts. */
export interface CatchAllFacts {
  reads: ZmprovResult[];
}

/**
 * Recipe step 2: a catch-all account per domain, so mail to unknown addresses is kept instead of
 * bounced to a (probably forged) sender: no backscatter.
 */
export const catchAllControl: Control<CatchAllFacts> = {
  id: CATCH_ALL,
  title: 'Catch-all address per domain (no backscatter)',

  reads(_env, settings) {
    // Without the setting, the domains and accounts give an example of it.
    if (settings.catchAll === undefined) return [['gad'], ['gaa']];
    return settings.catchAll.map(({ account }) => ['ga', account, 'zimbraMailCatchAllAddress']);
  },

  async gather({ reads }) {
    return { reads };
  },

  plan({ reads }, { env, settings }) {
    if (settings.catchAll === undefined) return [needsSetting(env.hostname, reads)];
    return (settings.catchAll ?? []).map(({ domain, account }, i): Item => {
      const base = { control: CATCH_ALL, subject: domain, actions: [], restart: [] };
      const read = reads[i]!;
      const entry = parseEntries(read.stdout)[0];
      if (!entry) {
        const why = read.errors[0] ?? `zmprov found no account ${account}`;
        return { ...base, status: 'fail', message: `account ${account} does not exist (${why.replace(/^ERROR: /, '')})` };
      }
      if (domainOf(entry.name) !== domain.toLowerCase()) {
        return { ...base, status: 'fail', message: `${account} is an alias of ${entry.name}, which is outside ${domain}` };
      }
      const value = `@${domain.toLowerCase()}`;
      if (hasValue(entry.attrs, 'zimbraMailCatchAllAddress', value)) {
        return { ...base, status: 'ok', message: `${entry.name} receives mail for unknown ${value} addresses` };
      }
      return {
        ...base,
        status: 'change',
        severity: 'warning',
        message: `mail to unknown ${value} addresses will go to ${entry.name} instead of bouncing`,
        actions: [{ kind: 'zmprov', argv: ['ma', entry.name, '+zimbraMailCatchAllAddress', value] }],
      };
    });
  },
};

/** No catch-all setting: an item that says so, with one example account per domain that has one. */
function needsSetting(hostname: string, [domainsRead, accountsRead]: ZmprovResult[]): Item {
  const domains = listedNames(domainsRead?.stdout);
  const byDomain = accountsByDomain(domains, listedNames(accountsRead?.stdout));
  const example = Object.entries(byDomain).flatMap(([domain, accounts]) => {
    const account = preferredCatchAll(accounts);
    return account ? ['--catch-all', `${domain}=${account}`] : [];
  });
  const details = example.length > 0
    ? [`e.g. ${example.join(' ')} (domains: ${domains.join(', ')})`]
    : [`no account to suggest: create one first (zmprov ca catchall@DOMAIN PASSWORD), or leave this step out with --skip ${CATCH_ALL}`];
  return {
    control: CATCH_ALL,
    subject: hostname,
    status: 'needs',
    severity: 'warning',
    message: 'needs --catch-all DOMAIN=ACCOUNT (config: catchAll): the account that receives mail for unknown addresses of each domain',
    actions: [],
    restart: [],
    details,
    example,
  };
}
