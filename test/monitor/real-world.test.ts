import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { OwnAddresses } from '../../src/monitor/addresses.js';
import { Correlator } from '../../src/monitor/correlator.js';
import { LineSplitter } from '../../src/monitor/line-splitter.js';
import { YearTracker } from '../../src/monitor/timestamp.js';
import type { EventSink, OutboundMessage } from '../../src/monitor/types.js';
import { FIXTURES } from './helpers.js';

/** What the correlator reports from a real-world file (through its fast line finder). */
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
  const correlator = new Correlator(new OwnAddresses(domains), sink);
  correlator.years = new YearTracker(mtime);
  const splitter = new LineSplitter(correlator.line, 1 << 16, 4096, correlator.finder);
  splitter.push(readFileSync(join(FIXTURES, 'real-world', name)));
  splitter.finish();
  correlator.finish(true);
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
    // two servers' lines (localhost, ubuntu-server): the second one's ids are kept apart
    expect(deferrals).toEqual([{ cause: 'DNS lookups failing (Host not found, try again)', queueId: 'BEE16742D2@1' }]);
  });
});
