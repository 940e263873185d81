/** Which addresses and domains belong to the server. */
export class OwnAddresses {
  private readonly domains: Set<string>;
  private readonly addresses = new Set<string>();
  private readonly extraDomains = new Set<string>();

  /** The server's accounts (`zmprov -l gaa`), when known: only these are named as the account behind mail. */
  private readonly accounts: Set<string> | undefined;

  constructor(domains: readonly string[], ownAddresses: readonly string[] = [], accounts?: readonly string[]) {
    this.accounts = accounts && new Set(accounts.map((a) => a.trim().toLowerCase()));
    this.domains = new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean));
    for (const raw of ownAddresses) {
      const a = raw.trim().toLowerCase();
      if (a.startsWith('@')) this.extraDomains.add(a.slice(1));
      else if (a) this.addresses.add(a);
    }
  }

  /** With a handful of domains, comparing ends of strings beats slicing out the domain. */
  private get few(): string[] | undefined {
    if (this.fewCache === null) this.fewCache = this.domains.size <= 8 ? [...this.domains] : undefined;
    return this.fewCache;
  }

  private fewCache: string[] | undefined | null = null;

  get domainList(): string[] {
    return [...this.domains];
  }

  /** One of the server's domains (recipients there are not "outside"). */
  isOurDomain(address: string): boolean {
    if (this.few) {
      for (const d of this.few) if (address.endsWith(d) && address.charCodeAt(address.length - d.length - 1) === 64) return true;
      return false;
    }
    return this.domains.has(domainOf(address));
  }

  /** Ours: an address of our domains, or declared in the config. */
  isOurs(address: string): boolean {
    if (this.isOurDomain(address)) return true;
    return (this.extraDomains.size > 0 && this.extraDomains.has(domainOf(address))) || this.addresses.has(address);
  }

  /**
   * Could be an account of the server: on the account list when there is one, else an address of
   * our domains made of the characters Zimbra allows in a name (never `x|reboot|y@…`).
   */
  isAccount(address: string): boolean {
    if (this.accounts) return this.accounts.has(address);
    return ACCOUNT_NAME.test(address) && this.isOurDomain(address);
  }

  /** Explicitly declared in the config (`monitor.ownAddresses`): any account may use it as sender. */
  isDeclared(address: string): boolean {
    if (this.addresses.size === 0 && this.extraDomains.size === 0) return false;
    return this.addresses.has(address) || this.extraDomains.has(domainOf(address));
  }
}

const ACCOUNT_NAME = /^[a-z0-9][a-z0-9._+=-]{0,63}@[a-z0-9.-]+$/;

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1);
}

export function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}
