/**
 * The address the world sees the server send from, without asking any outside service: the
 * `--ip` flag (or settings), else Postfix's smtp_bind_address, else the A record of the server's
 * name through the configured resolver, else (on a real server) a public address of an interface.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { UsageError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { ZimbraPaths } from '../zimbra/paths.js';
import { makeResolver } from './dnsbl.js';

export interface PublicAddress {
  ip?: string;
  /** Where the address came from, or why none was found. */
  source: string;
}

/** RFC 1918, loopback, link-local, shared (CGNAT) and "this network" addresses: never listed, never seen outside. */
export function isPrivateIpv4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

export interface AddressOptions {
  ip?: string;
  resolvers?: readonly string[];
  timeoutMs: number;
}

export async function findPublicAddress(host: Host, env: { hostname: string; paths: Pick<ZimbraPaths, 'postconf'> }, options: AddressOptions): Promise<PublicAddress> {
  if (options.ip !== undefined) {
    if (isIP(options.ip) !== 4) throw new UsageError(`--ip ${options.ip}: give the server's public IPv4 address`);
    return { ip: options.ip, source: '--ip' };
  }
  const seen: string[] = [];
  const bind = await host.exec(env.paths.postconf, ['-h', 'smtp_bind_address'], { timeoutMs: 30_000 });
  const bound = bind.exitCode === 0 ? bind.stdout.trim() : '';
  if (isIP(bound) === 4) {
    if (!isPrivateIpv4(bound)) return { ip: bound, source: 'Postfix smtp_bind_address' };
    seen.push(bound);
  }
  try {
    const addresses = await makeResolver(options.resolvers, options.timeoutMs).resolve4(env.hostname);
    const found = addresses.find((a) => !isPrivateIpv4(a));
    if (found) return { ip: found, source: `A record of ${env.hostname}` };
    seen.push(...addresses);
  } catch {
    // no A record (or no answer): try the interfaces
  }
  if (!host.simulated) {
    for (const [name, list] of Object.entries(networkInterfaces())) {
      const found = list?.find((i) => i.family === 'IPv4' && !i.internal && !isPrivateIpv4(i.address));
      if (found) return { ip: found.address, source: `interface ${name}` };
      seen.push(...(list ?? []).filter((i) => i.family === 'IPv4' && !i.internal).map((i) => i.address));
    }
  }
  const privates = [...new Set(seen)];
  return {
    source: privates.length > 0 ? `only private addresses found (${privates.join(', ')}): the server sends through NAT; give its public address with --ip` : `no address found for ${env.hostname}; give it with --ip`,
  };
}
