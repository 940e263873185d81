/**
 * Is the server's address on a DNS block list? One A query per list (`<reversed ip>.<zone>`),
 * all lists at once, each with its own timeout, through the configured resolver. A list only
 * counts as "listed" for a 127.0.0.0/8 answer that is not one of its error codes: Spamhaus'
 * 127.255.255.x refusals, timeouts, refusals and rewritten answers are "unknown", never "listed".
 * "Not listed" is believed only when the same resolver says the list's test entry (127.0.0.2,
 * RFC 5782) is listed: a resolver that answers nothing for every list proves nothing.
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import { blocklistFor } from './blocklists.js';

export type ListingStatus = 'listed' | 'not-listed' | 'unknown';

export interface ListingResult {
  zone: string;
  name: string;
  status: ListingStatus;
  /** The A records answered. */
  answers: string[];
  /** One line: what the listing means, or why the answer is unknown. */
  detail: string;
  /** The list's TXT record for the address (often a URL), when listed. */
  txt?: string;
  ms: number;
}

export interface DnsblOptions {
  zones: readonly string[];
  /** Resolver addresses (`127.0.0.1`, `127.0.0.1:5353`, `[::1]:53`); default: the system's. */
  resolvers?: readonly string[];
  timeoutMs: number;
}

/** `1.2.3.4` → `4.3.2.1`. */
export function reverseIpv4(ip: string): string {
  return ip.split('.').reverse().join('.');
}

/** A resolver that asks only the given servers, once, with a timeout. */
export function makeResolver(resolvers: readonly string[] | undefined, timeoutMs: number): Resolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (resolvers && resolvers.length > 0) {
    try {
      resolver.setServers([...resolvers]);
    } catch (error) {
      throw new UsageError(`--resolver ${resolvers.join(',')}: ${(error as Error).message} (give ADDRESS or ADDRESS:PORT, IPv6 as [ADDRESS]:PORT)`);
    }
  }
  return resolver;
}

const ERRORS: Record<string, string> = {
  ETIMEOUT: 'no answer in time',
  EREFUSED: 'the resolver refused the query',
  ESERVFAIL: 'the resolver failed (SERVFAIL)',
  ECONNREFUSED: 'the resolver cannot be reached',
};

function isLoopbackNet(address: string): boolean {
  return address.startsWith('127.');
}

/** Every DNS block list lists 127.0.0.2 (RFC 5782 §5): a resolver that really asks the list says so. */
export const TEST_ENTRY = '127.0.0.2';

export const NO_BLOCKLIST_ANSWERS = `this resolver does not answer block-list queries (the list's test entry ${TEST_ENTRY} is not listed either): ask through your own resolver (--resolver)`;

/** `not-listed` stands only when the test entry is listed through the same resolver. */
async function lookup(resolver: Resolver, ip: string, zone: string, timeoutMs: number): Promise<ListingResult> {
  const [result, test] = await Promise.all([query(resolver, ip, zone, timeoutMs), query(resolver, TEST_ENTRY, zone, timeoutMs, false)]);
  if (result.status !== 'not-listed' || test.status === 'listed') return result;
  return { ...result, status: 'unknown', detail: test.status === 'unknown' ? `${test.detail} (for the list's test entry ${TEST_ENTRY})` : NO_BLOCKLIST_ANSWERS };
}

async function query(resolver: Resolver, ip: string, zone: string, timeoutMs: number, withTxt = true): Promise<ListingResult> {
  const list = blocklistFor(zone);
  const started = Date.now();
  const name = `${reverseIpv4(ip)}.${list.zone}`;
  const base = { zone: list.zone, name: list.name, answers: [] as string[] };
  let answers: string[];
  try {
    answers = await resolver.resolve4(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const ms = Date.now() - started;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return { ...base, status: 'not-listed', detail: 'not listed', ms };
    const why = code === 'ETIMEOUT' ? `no answer within ${timeoutMs} ms` : (ERRORS[code] ?? `lookup failed (${code})`);
    return { ...base, status: 'unknown', detail: why, ms };
  }
  const ms = Date.now() - started;
  const error = answers.map((a) => list.queryErrors?.[a]).find(Boolean);
  if (error) return { ...base, answers, status: 'unknown', detail: error, ms };
  if (!answers.every(isLoopbackNet)) {
    return { ...base, answers, status: 'unknown', detail: `answered ${answers.join(', ')}, which is no block-list code (a resolver that rewrites answers?)`, ms };
  }
  const meanings = [...new Set(answers.map((a) => list.codes?.[a] ?? `listed (${a})`))];
  let txt: string | undefined;
  try {
    if (withTxt) txt = (await resolver.resolveTxt(name)).map((parts) => parts.join('')).join(' | ') || undefined;
  } catch {
    // the TXT record is only a courtesy
  }
  return { ...base, answers, status: 'listed', detail: meanings.join('; '), ...(txt ? { txt } : {}), ms };
}

/** Asks every list about `ip` at once; IPv4 only. */
export async function checkBlocklists(ip: string, options: DnsblOptions): Promise<ListingResult[]> {
  if (isIP(ip) !== 4) throw new UsageError(`--ip ${ip}: give the server's public IPv4 address (block lists are checked for IPv4)`);
  const resolver = makeResolver(options.resolvers, options.timeoutMs);
  return Promise.all(options.zones.map((zone) => lookup(resolver, ip, zone, options.timeoutMs)));
}
