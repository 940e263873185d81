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
