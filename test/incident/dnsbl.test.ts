import { describe, expect, it } from 'vitest';
import { checkBlocklists } from '../../src/incident/dnsbl.js';
import { startDnsServer, withTestEntries, type DnsAnswer } from './dns-server.js';

const IP = '203.0.113.25';
const REVERSED = '25.113.0.203';

/** One behaviour per zone: listed, not listed, refused (Spamhaus' public-resolver code and a DNS REFUSED), timeout. */
const BEHAVIOUR: Record<string, DnsAnswer> = {
  'zen.spamhaus.org': { a: ['127.0.0.3'], txt: 'https://check.spamhaus.org/query/ip/203.0.113.25' },
  'bl.spamcop.net': 'nxdomain',
  'b.barracudacentral.org': 'refused',
  'psbl.surriel.com': 'silent',
  'bl.mailspike.net': { a: ['127.255.255.254'] },
  'dnsbl.example.net': { a: ['198.51.100.9'] },
};

async function server() {
  return startDnsServer(
    withTestEntries((name) => {
      const zone = Object.keys(BEHAVIOUR).find((z) => name === `${REVERSED}.${z}`);
      return zone ? BEHAVIOUR[zone]! : 'nxdomain';
    }),
  );
}

it('tells listed, not listed and unknown apart, through the given resolver, each query with its own timeout', async () => {
  const dns = await server();
  const started = Date.now();
  const results = await checkBlocklists(IP, { zones: Object.keys(BEHAVIOUR), resolvers: [dns.address], timeoutMs: 400 });
  expect(Date.now() - started).toBeLessThan(3000);
  const by = Object.fromEntries(results.map((r) => [r.zone, r]));
  expect(by['zen.spamhaus.org']).toMatchObject({ status: 'listed', answers: ['127.0.0.3'], txt: 'https://check.spamhaus.org/query/ip/203.0.113.25' });
  expect(by['zen.spamhaus.org']!.detail).toMatch(/^CSS/);
  expect(by['bl.spamcop.net']).toMatchObject({ status: 'not-listed' });
  expect(by['b.barracudacentral.org']).toMatchObject({ status: 'unknown', detail: 'the resolver refused the query' });
  expect(by['psbl.surriel.com']).toMatchObject({ status: 'unknown', detail: 'no answer within 400 ms' });
  // An answer outside 127/8 (a resolver rewriting NXDOMAIN) is no listing.
  expect(by['dnsbl.example.net']).toMatchObject({ status: 'unknown' });
  expect(by['dnsbl.example.net']!.detail).toMatch(/no block-list code/);
  // Only Spamhaus' own error codes are errors; the same code from Mailspike would be a listing.
  expect(by['bl.mailspike.net']!.status).toBe('listed');
  expect(dns.queries.filter((q) => q.type === 1 && q.name.startsWith(REVERSED)).map((q) => q.name).sort()).toEqual(Object.keys(BEHAVIOUR).map((z) => `${REVERSED}.${z}`).sort());
});

it("reports Spamhaus' public-resolver answer as unknown, never as listed", async () => {
  const dns = await startDnsServer((name) => (name.endsWith('.zen.spamhaus.org') ? { a: ['127.255.255.254'] } : 'nxdomain'));
  const [zen] = await checkBlocklists(IP, { zones: ['zen.spamhaus.org'], resolvers: [dns.address], timeoutMs: 400 });
  expect(zen).toMatchObject({ status: 'unknown', answers: ['127.255.255.254'] });
  expect(zen!.detail).toMatch(/public or open resolver/);
});

it('rejects a resolver it cannot use and a non-IPv4 address before asking anything', async () => {
  await expect(checkBlocklists(IP, { zones: ['zen.spamhaus.org'], resolvers: ['not a resolver'], timeoutMs: 100 })).rejects.toThrow(/--resolver/);
  await expect(checkBlocklists('2001:db8::1', { zones: ['zen.spamhaus.org'], resolvers: ['127.0.0.1:9'], timeoutMs: 100 })).rejects.toThrow(/IPv4/);
});

describe('a resolver that answers nothing is not taken for "not listed"', () => {
  it('asks each list for its test entry 127.0.0.2 too; not listed either means unknown', async () => {
    const dns = await startDnsServer(() => 'nxdomain');
    const results = await checkBlocklists(IP, { zones: ['zen.spamhaus.org', 'bl.spamcop.net'], resolvers: [dns.address], timeoutMs: 400 });
    for (const r of results) {
      expect(r.status).toBe('unknown');
      expect(r.detail).toMatch(/^this resolver does not answer block-list queries/);
    }
    expect(dns.queries.map((q) => q.name)).toEqual(expect.arrayContaining(['2.0.0.127.zen.spamhaus.org', '2.0.0.127.bl.spamcop.net']));
  });

  it('a resolver that answers empty NOERROR for everything is no better', async () => {
    const dns = await startDnsServer(() => ({}));
    const [zen] = await checkBlocklists(IP, { zones: ['zen.spamhaus.org'], resolvers: [dns.address], timeoutMs: 400 });
    expect(zen).toMatchObject({ status: 'unknown', detail: expect.stringMatching(/does not answer block-list queries/) });
  });

  it("a test entry that times out says so; a resolver that answers the test entry makes 'not listed' stand", async () => {
    const silentTest = await startDnsServer((name) => (name.startsWith('2.0.0.127.') ? 'silent' : 'nxdomain'));
    const [timedOut] = await checkBlocklists(IP, { zones: ['bl.spamcop.net'], resolvers: [silentTest.address], timeoutMs: 300 });
    expect(timedOut).toMatchObject({ status: 'unknown', detail: "no answer within 300 ms (for the list's test entry 127.0.0.2)" });
    const good = await startDnsServer(withTestEntries(() => 'nxdomain'));
    const [clean] = await checkBlocklists(IP, { zones: ['bl.spamcop.net'], resolvers: [good.address], timeoutMs: 400 });
    expect(clean).toMatchObject({ status: 'not-listed', detail: 'not listed' });
  });
});
