import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OwnAddresses } from '../../src/monitor/addresses.js';
import { Correlator } from '../../src/monitor/correlator.js';
import { Detectors } from '../../src/monitor/detectors.js';
import { monitorThresholdsSchema } from '../../src/core/settings.js';
import { LineSplitter } from '../../src/monitor/line-splitter.js';
import { YearTracker } from '../../src/monitor/timestamp.js';
import type { EventSink, OutboundMessage } from '../../src/monitor/types.js';
import { FIXTURES } from './helpers.js';

/** Feeds a real-world file to a sink through the correlator and its fast line finder. */
function readInto(name: string, domains: string[], mtime: Date, sink: EventSink): void {
  const correlator = new Correlator(new OwnAddresses(domains), sink);
  correlator.years = new YearTracker(mtime);
  const splitter = new LineSplitter(correlator.line, 1 << 16, 4096, correlator.finder);
  splitter.push(readFileSync(join(FIXTURES, 'real-world', name)));
  splitter.finish();
  correlator.finish(true);
}

/** What the correlator reports from a real-world file. */
function eventsOf(name: string, domains: string[], mtime: Date) {
  const outbound: OutboundMessage[] = [];
  const deferrals: { cause: string; queueId: string }[] = [];
  const sink: EventSink = {
    outbound: (m) => outbound.push(m),
    deferral: (_t, _line, _n, cause, queueId) => deferrals.push({ cause, queueId }),
    backscatter: () => undefined,
    quota: () => undefined,
    queueDeleted: () => undefined,
  };
  readInto(name, domains, mtime, sink);
  return { outbound, deferrals };
}

describe('real-world lines', () => {
  test('Zimbra 8.8, two amavis passes: one outbound message, counted once, from the mailbox server (no SASL)', () => {
    const { outbound } = eventsOf('zimbra88-two-pass.log', ['tudv3.tudv.xyz'], new Date(2022, 4, 5, 14, 0));
    expect(outbound.map((m) => [m.sender, m.recipients, m.outside, m.origin, m.account])).toEqual([
      ['admin@tudv3.tudv.xyz', ['idinhtu1989@gmail.com'], ['idinhtu1989@gmail.com'], 'webmail', 'admin@tudv3.tudv.xyz'],
    ]);
    expect(new Date(outbound[0]!.time).getFullYear()).toBe(2022);
  });

  test('a message deferred while the remote host is unreachable, retried with the same queue id', () => {
    const { deferrals } = eventsOf('postfix-expired.log', ['somedomain.com'], new Date(2015, 11, 28, 14, 0));
    expect(deferrals).toEqual([
      { cause: 'remote servers unreachable', queueId: 'C93CEB08A046' },
      { cause: 'remote servers unreachable', queueId: 'C93CEB08A046' },
    ]);
  });

  test('the resolver failing: the cause is named (lines without dsn= from very old Postfix are not read)', () => {
    const { deferrals } = eventsOf('postfix-dns-deferred.log', ['mydomain.net'], new Date(2024, 6, 30));
    // three servers' lines (localhost, ubuntu-server, xxxx): the later ones' ids are kept apart
    expect(deferrals).toEqual([
      { cause: 'DNS lookups failing (Host not found, try again)', queueId: 'BEE16742D2@1' },
      { cause: 'DNS lookups failing (Host not found, try again)', queueId: '9F2162C519@2' },
    ]);
  });

  test('Yahoo rate limiting (TSS04) in Postfix 3 RFC 3339 lines: two deferred messages; the "host … said" line of a session is no delivery', () => {
    const { deferrals } = eventsOf('postfix-yahoo-tss04.log', ['example.org'], new Date(2020, 2, 20));
    expect(deferrals).toEqual([
      { cause: 'Yahoo rate limiting (421 4.7.0 [TSS04])', queueId: 'CA1AD20189' },
      { cause: 'Yahoo rate limiting (421 4.7.0 [TSS04])', queueId: '973D120142' },
    ]);
    const detectors = new Detectors(new OwnAddresses(['example.org']), monitorThresholdsSchema.parse({}), {});
    readInto('postfix-yahoo-tss04.log', ['example.org'], new Date(2020, 2, 20), detectors);
    expect(detectors.findings()).toEqual([]); // two messages: one short of an episode
    expect(detectors.save().deferred.map((e) => [e.cause, e.events])).toEqual([['Yahoo rate limiting (421 4.7.0 [TSS04])', 2]]);
    // a third message deferred by Yahoo within the hour makes it one
    detectors.deferral(Date.UTC(2020, 2, 19, 9, 35), '… to=<other@yahoo.com>, … status=deferred (… [TSS04] …)', 1, 'Yahoo rate limiting (421 4.7.0 [TSS04])', 'NEW1', '');
    expect(detectors.findings().map((f) => f.subject)).toEqual([expect.stringMatching(/^Yahoo rate limiting \(421 4\.7\.0 \[TSS04\]\), since 2020-03-19T09:29:05/)]);
  });
});
