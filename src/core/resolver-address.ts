import { isIP } from 'node:net';

/**
 * A DNS resolver as `--resolver` and `incident.resolvers` take it: `ADDRESS`, `IPv4:PORT`,
 * `[IPv6]:PORT` (what node's Resolver#setServers accepts). Returns why not, or undefined.
 */
export function resolverProblem(value: string): string | undefined {
  const usage = 'give an IP address, optionally with a port: 192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53';
  if (isIP(value) !== 0) return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!m) return `${JSON.stringify(value)} is not a resolver address (${usage})`;
  const address = m[1] ?? m[2]!;
  if (isIP(address) !== (m[1] !== undefined ? 6 : 4)) return `${JSON.stringify(value)} is not a resolver address (${usage})`;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return `${JSON.stringify(value)}: port ${port} is not 1 to 65535`;
  return undefined;
}
