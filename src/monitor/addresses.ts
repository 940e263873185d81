/** Which addresses and domains belong to the server. */
export class OwnAddresses {
  private readonly domains: Set<string>;
  private readonly addresses = new Set<string>();
  private readonly extraDomains = new Set<string>();

  constructor(domains: readonly string[], ownAddresses: readonly string[] = []) {
    this.domains = new Set(domains.map((d) => d.trim().toLowerCase()).filter(Boolean));
    for (const raw of ownAddresses) {
      const a = raw.trim().toLowerCase();
      if (a.startsWith('@')) this.extraDomains.add(a.slice(1));
      else if (a) this.addresses.add(a);
    }
  }

  get domainList(): string[] {
    return [...this.domains];
  }

  /** One of the server's domains (recipients there are not "outside"). */
  isOurDomain(address: string): boolean {
    return this.domains.has(domainOf(address));
  }

  /** A legitimate sender: one of our domains' addresses is not enough, see {@link isDeclared}. */
  isOurs(address: string): boolean {
    const domain = domainOf(address);
    return this.domains.has(domain) || this.extraDomains.has(domain) || this.addresses.has(address);
  }

  /** Explicitly declared in the config (`monitor.ownAddresses`): any account may use it as sender. */
  isDeclared(address: string): boolean {
    return this.addresses.has(address) || this.extraDomains.has(domainOf(address));
  }
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1);
}

export function localPartOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : address.slice(0, at);
}
