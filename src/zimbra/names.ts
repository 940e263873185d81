const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN = new RegExp(`^${LABEL}(?:\\.${LABEL})+$`, 'i');
const LOCAL_PART = /^[a-z0-9!#$%&*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&*+/=?^_`{|}~-]+)*$/i;

/** A DNS domain name as Zimbra accepts it (letters, digits, hyphens, dots; at least two labels). */
export function isDomainName(value: string): boolean {
  return value.length <= 253 && DOMAIN.test(value);
}

/** An account name `local@domain.tld`. */
export function isAccountName(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  return LOCAL_PART.test(value.slice(0, at)) && isDomainName(value.slice(at + 1));
}

export function domainOf(account: string): string {
  return account.slice(account.lastIndexOf('@') + 1).toLowerCase();
}
