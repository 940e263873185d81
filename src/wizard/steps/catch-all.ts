import type { CatchAll } from '../../core/settings.js';
import { domainOf, isAccountName } from '../../zimbra/names.js';
import { flagHint, questionOf, SETTINGS } from '../../core/options.js';
import { preferredCatchAll } from '../../zimbra/catch-all-candidates.js';
import type { Discovery } from '../discover.js';
import type { WizardStep } from '../step.js';

const TYPE_ANOTHER = '\0type';

/** Checkbox of domains; checked: those already configured, or all on a first run. */
export function domainsPrompt(discovery: Discovery, current: CatchAll[] | undefined) {
  const configured = new Set(current?.map((c) => c.domain.toLowerCase()));
  return {
    message: questionOf(SETTINGS.catchAll),
    choices: discovery.domains.map((d) => ({
      name: `${d} (${discovery.accountsByDomain[d]?.length ?? 0} accounts)`,
      value: d,
      checked: current === undefined || configured.has(d),
    })),
  };
}

/** Select of the domain's accounts, the configured one first, plus "type another". */
export function accountPrompt(domain: string, discovery: Discovery, current: CatchAll[] | undefined) {
  const accounts = discovery.accountsByDomain[domain] ?? [];
  const configured = current?.find((c) => c.domain.toLowerCase() === domain)?.account;
  const preferred = configured ?? preferredCatchAll(accounts);
  return {
    message: `Which account of ${domain} receives mail for unknown addresses? (${flagHint(SETTINGS.catchAll, `${domain}=ACCOUNT`)})`,
    choices: [...accounts.map((a) => ({ name: a, value: a })), { name: 'Type another address…', value: TYPE_ANOTHER }],
    default: preferred,
  };
}

/** Free-typed account: must be in the domain and exist. */
export function typedAccountPrompt(domain: string, discovery: Discovery) {
  const known = new Set((discovery.accountsByDomain[domain] ?? []).map((a) => a.toLowerCase()));
  return {
    message: `Account in ${domain}:`,
    validate: (value: string) => {
      const v = value.trim().toLowerCase();
      if (!isAccountName(v)) return 'Enter an address like catchall@' + domain;
      if (domainOf(v) !== domain) return `The catch-all account must be in ${domain}`;
      if (!known.has(v)) return `${v} does not exist (create it first: zmprov ca ${v} PASSWORD)`;
      return true;
    },
  };
}

export const catchAllStep: WizardStep = {
  id: 'catch-all',
  title: 'Catch-all address per domain',
  why: 'Spam arrives with forged senders. When your server bounces mail for unknown addresses, the bounce goes to an innocent person ("backscatter"), and that alone gets servers block-listed. A catch-all keeps that mail in one mailbox instead.',
  async ask(prompt, { discovery, settings }) {
    const domains = await prompt.checkbox(domainsPrompt(discovery, settings.catchAll));
    const catchAll: CatchAll[] = [];
    for (const domain of domains) {
      let account = await prompt.select(accountPrompt(domain, discovery, settings.catchAll));
      if (account === TYPE_ANOTHER) account = (await prompt.input(typedAccountPrompt(domain, discovery))).trim().toLowerCase();
      catchAll.push({ domain, account });
    }
    return { catchAll };
  },
};
