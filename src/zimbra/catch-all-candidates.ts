import { domainOf } from './names.js';

/** Accounts the installer creates for spam training, quarantine and GAL sync: never a catch-all. */
const SYSTEM_ACCOUNT = /^(?:spam|ham|virus-quarantine)\.[a-z0-9]+@|^galsync[.@]/i;

/** Non-empty lines of `zmprov gad` or `gaa` output. */
export function listedNames(stdout: string | undefined): string[] {
  return (stdout ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Each domain (lower-cased) with the accounts that could receive its unknown addresses. */
export function accountsByDomain(domains: readonly string[], accounts: readonly string[]): Record<string, string[]> {
  const byDomain: Record<string, string[]> = Object.fromEntries(domains.map((d) => [d.toLowerCase(), [] as string[]]));
  for (const account of accounts) {
    if (!SYSTEM_ACCOUNT.test(account)) byDomain[domainOf(account)]?.push(account);
  }
  return byDomain;
}

/** The account to offer first: a catch-all, postmaster or admin mailbox when there is one. */
export function preferredCatchAll(accounts: readonly string[]): string | undefined {
  return accounts.find((a) => /^(catchall|catch-all|postmaster|admin)@/.test(a)) ?? accounts[0];
}
