import { isIP } from 'node:net';

/** An IPv4 or IPv6 address, optionally with a prefix length (`10.0.0.0/24`, `2001:db8::/32`). */
export function isIpOrCidr(value: string): boolean {
  const slash = value.indexOf('/');
  const address = slash < 0 ? value : value.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash < 0) return true;
  const prefix = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export function isLoopback(value: string): boolean {
  const address = value.split('/')[0]!;
  return address === '::1' || /^127\./.test(address);
}

/** The IPv4 size of an address or network: its prefix counted as IPv4 (IPv4-mapped IPv6 `::ffff:a.b.c.d/N` too), else as IPv6. */
function breadth(value: string): { family: 4 | 6; prefix: number } {
  const [address = '', length] = value.split('/');
  const family = isIP(address) === 4 ? 4 : 6;
  const prefix = length === undefined ? (family === 4 ? 32 : 128) : Number(length);
  if (family === 6 && /^::ffff:/i.test(address) && prefix >= 96) return { family: 4, prefix: prefix - 96 };
  return { family, prefix };
}

/** Shorter prefixes than these are refused as admin networks: they let in a large part of the Internet. */
const REFUSED_BELOW = { 4: 8, 6: 32 } as const;
/** Shorter prefixes than these are accepted, but the audit points them out. */
const WIDE_BELOW = { 4: 16, 6: 48 } as const;

/** Why an address or network is too broad to be allowed in, or undefined. */
export function tooBroadProblem(value: string): string | undefined {
  const { family, prefix } = breadth(value);
  if (prefix >= REFUSED_BELOW[family]) return undefined;
  const all = prefix === 0 ? `every IPv${family} address` : `2^${(family === 4 ? 32 : 128) - prefix} IPv${family} addresses`;
  return `${value} lets in ${all}: give the admin networks themselves (at most /${REFUSED_BELOW[family]} for IPv${family})`;
}

/** A network wide enough to mention (e.g. a whole /8), though not refused. */
export function isWideNetwork(value: string): boolean {
  const { family, prefix } = breadth(value);
  return prefix < WIDE_BELOW[family];
}
