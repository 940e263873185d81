import type { Control, Item } from '../core/types.js';
import { domainOf } from '../core/names.js';
import { hasValue, parseEntries } from '../zimbra/zmprov-batch.js';

export const CATCH_ALL = 'catch-all';

/**
 * Recipe step 2: a catch-all account per domain, so mail to unknown addresses is kept instead of
 * bounced to a (probably forged) sender: no backscatter.
 */
export const catchAllControl: Control = {
  id: CATCH_ALL,
  title: 'Catch-all address per domain (no backscatter)',

  reads(_env, settings) {
    return (settings.catchAll ?? []).map(({ account }) => ['ga', account, 'zimbraMailCatchAllAddress']);
  },

  async check({ settings, reads }) {
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
