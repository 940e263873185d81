import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deferred, expiredAndBounced, overQuotaBounce, rejectedAndBounced, sent, stamp, TSS04 } from './log-lines.js';
import { describe, expect, test } from 'vitest';
import { writeZimbraLog } from '../../src/simulation/loggen/generate.js';
import { OwnAddresses } from '../../src/monitor/addresses.js';
import { Correlator } from '../../src/monitor/correlator.js';
import { AnchoredWords, MarkedLines, NarrowingNeedle, Needle, type Marker, type MarkerSource } from '../../src/monitor/line-markers.js';
import { everyLine, LineSplitter, type LineFinder } from '../../src/monitor/line-splitter.js';
import { RareWords } from '../../src/monitor/rare-words.js';
import { YearTracker } from '../../src/monitor/timestamp.js';
import type { EventSink } from '../../src/monitor/types.js';
import { DOMAINS, fixture, FIXTURES, tempRoot } from './helpers.js';

/** The lines a finder hands out, as text. */
function linesOf(text: string | Buffer, finder: LineFinder, size = 1 << 16): string[] {
  const out: string[] = [];
  const splitter = new LineSplitter((buf, start, end) => out.push(buf.toString('latin1', start, end)), size, 4096, finder);
  splitter.push(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
  splitter.finish();
  return out;
}

/** Everything a correlator reports, in order. */
function eventsOf(data: Buffer, finder: (c: Correlator) => LineFinder, mtime: Date): string[] {
  const events: string[] = [];
  const sink: EventSink = {
    outbound: (m) => events.push(`outbound ${JSON.stringify(m)}`),
    deferral: (t, line, n, cause, qid, mta) => events.push(`deferral ${t} ${n} ${cause} ${qid} ${mta} ${line}`),
    backscatter: (t, target, line, n, cause, mta) => events.push(`backscatter ${t} ${target} ${n} ${cause} ${mta} ${line}`),
    quota: (hit, n) => events.push(`quota ${JSON.stringify(hit)} ${n}`),
    queueDeleted: (t, line) => events.push(`deleted ${t} ${line}`),
  };
  const correlator = new Correlator(new OwnAddresses(DOMAINS), sink);
  correlator.years = new YearTracker(mtime);
  const splitter = new LineSplitter(correlator.line, 1 << 18, 64 << 10, finder(correlator));
  splitter.push(data);
  splitter.finish();
  correlator.finish(true);
  return events;
}

/** One of every line the detectors act on, from two MTAs: bounces and their causes, expiry, deferrals, postsuper. */
function everyKindOfLine(): string {
  const t = new Date(2024, 10, 5, 9, 0).getTime();
  const lines: string[] = [];
  for (const host of ['mta1', 'mta2.example.com']) {
    const m = sent({ t, account: 'bob@example.com', sender: 'forged@yahoo.com', ip: '203.0.113.9', to: ['v@hotmail.com'], host, q1: 'ABCDE12345', q2: 'BCDEF23456' });
    lines.push(...m.lines, ...rejectedAndBounced(t + 1000, m.q2, 'v@hotmail.com', 'forged@yahoo.com', host));
    lines.push(...expiredAndBounced(t + 2000, 'CDEF345678', 'forged2@aol.com', host), ...overQuotaBounce(t + 3000, 'full@example.com', 'x@spam.example', host));
    lines.push(deferred(t + 4000, 'DEF4567890', 'r@yahoo.com', TSS04, host), `${stamp(t + 5000)} ${host} postfix/postsuper[77]: Deleted: 3 messages`);
  }
  return `${lines.join('\n')}\n`;
}

describe('marked lines', () => {
  test('only the lines holding a marker, in order; a NUL run ends the line it interrupts', () => {
    const log = ['a Passed x', 'nothing here', 'b FWD from y', `junk${'\0'.repeat(10)}c Passed z`, 'd sasl_username=u', 'e mail_id: no', 'f status=deferred (x)', ''].join('\n');
    const finder = new MarkedLines([new Needle('Passed '), new Needle('WD from '), new AnchoredWords(95, ['sasl_']), new RareWords(['status=deferred'])], undefined);
    expect(linesOf(log, finder)).toEqual(['a Passed x', 'b FWD from y', 'c Passed z', 'd sasl_username=u', 'f status=deferred (x)']);
  });

  test('a narrowing needle keeps, once narrowed, only the lines that end with its byte', () => {
    let narrowed = false;
    const finder = new MarkedLines([new NarrowingNeedle('WD from ', 46, () => narrowed)], undefined);
    const log = 'a FWD from x\nb FWD from y...\nc nothing.\nd FWD from z\n';
    expect(linesOf(log, finder)).toEqual(['a FWD from x', 'b FWD from y...', 'd FWD from z']);
    narrowed = true;
    expect(linesOf(log, finder)).toEqual(['b FWD from y...']);
  });

  test('markers asked for on the way are searched from the next line on', () => {
    const source: MarkerSource & { wanted: Marker[] } = {
      wanted: [],
      get markerVersion() {
        return this.wanted.length;
      },
      dynamicMarkers() {
        return this.wanted;
      },
    };
    const lines: string[] = [];
    const finder = new MarkedLines([new Needle('start')], source);
    const splitter = new LineSplitter(
      (buf, s, e) => {
        const line = buf.toString('latin1', s, e);
        lines.push(line);
        if (line === 'start 1') source.wanted = [new Needle('Q1: to=<')];
      },
      4096,
      1024,
      finder,
    );
    splitter.push(Buffer.from('x Q1: to=<a>\nstart 1\ny\nQ1: to=<b>\nstart 2\nQ1: to=<c>\n', 'latin1'));
    expect(lines).toEqual(['start 1', 'Q1: to=<b>', 'start 2', 'Q1: to=<c>']);
  });

  test('rare words are found wherever they fall against 4-byte blocks, and near the end', () => {
    const words = new RareWords(['status=deferred', 'non-delivery notification']);
    for (let shift = 0; shift < 8; shift++) {
      const parts = ['x'.repeat(shift), 'aaaa status=deferred bbb\n', 'c'.repeat(37), '\nsender non-delivery notification: Q\n', 'dd status=deferred'];
      const text = Buffer.from(parts.join(''), 'latin1');
      const found: number[] = [];
      for (let at = words.find(text, 0); at >= 0; at = words.find(text, at + 1)) found.push(at);
      const expected: number[] = [];
      for (const w of ['status=deferred', 'non-delivery notification']) for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) expected.push(at);
      expect(found).toEqual(expected.sort((a, b) => a - b));
      // a buffer that does not start on a 4-byte boundary
      const odd = Buffer.concat([Buffer.from('z'), text]).subarray(1);
      expect(words.find(odd, 0)).toBe(expected[0]);
    }
  });

  test('the correlator reports the same events from its marked lines as from every line', async () => {
    const root = tempRoot();
    const cases: { data: Buffer; mtime: Date }[] = [];
    for (const [i, extra] of [{ timestampFormat: 'rfc3339' as const }, { amavisStyle: 'classic' as const }, {}].entries()) {
      const mail = join(root, `zimbra-${i}.log`);
      const summary = await writeZimbraLog(
        {
          seed: 20 + i,
          start: new Date(2024, 9, 30, 6, 0),
          hours: 3,
          domains: DOMAINS,
          accountCount: 30,
          messagesPerHour: 400,
          quirks: true,
          incidents: [
            { type: 'forged-relay', account: 'bob.relay@example.com', atMinute: 20, messages: 15, recipientsPerMessage: 60 },
            { type: 'stolen-webmail', account: 'web.victim@example.org', atMinute: 60, messages: 30 },
            { type: 'backscatter', atMinute: 90, bounces: 80, minutes: 10 },
            { type: 'deferred', atMinute: 120, deferrals: 250, minutes: 20 },
          ],
          ...extra,
        },
        { mail },
      );
      cases.push({ data: readFileSync(mail), mtime: summary.end });
    }
    for (const name of ['recipe-fwd-only.log', 'relay-mail-id.log', 'year-change.log', 'cbpolicyd.log']) {
      cases.push({ data: readFileSync(join(FIXTURES, name)), mtime: new Date(name === 'year-change.log' ? 2025 : 2024, name === 'year-change.log' ? 0 : 9, name === 'year-change.log' ? 1 : 30, 18, 0) });
    }
    const crashed = fixture('recipe-fwd-only.log').replace('Oct 30 08:49:18', `Oct 30 08:49:17 mail postfix/smtpd[1]: connect from x${'\0'.repeat(300)}Oct 30 08:49:18`);
    cases.push({ data: Buffer.from(crashed, 'latin1'), mtime: new Date(2024, 9, 30, 18, 0) });
    cases.push({ data: Buffer.from(everyKindOfLine(), 'latin1'), mtime: new Date(2024, 10, 6, 12, 0) });
    const realWorld = join(FIXTURES, 'real-world');
    for (const name of readdirSync(realWorld).filter((n) => n.endsWith('.log'))) cases.push({ data: readFileSync(join(realWorld, name)), mtime: new Date(2026, 11, 1, 12, 0) });
    const kinds = new Set<string>();
    for (const { data, mtime } of cases) {
      const all = eventsOf(data, () => everyLine, mtime);
      expect(all.length).toBeGreaterThan(0);
      expect(eventsOf(data, (c) => c.finder, mtime)).toEqual(all);
      for (const e of all) kinds.add(e.slice(0, e.indexOf(' ')));
    }
    // Every event the correlator can report was reported from the marked lines: no parser is left without its marker.
    expect([...kinds].sort()).toEqual(['backscatter', 'deferral', 'deleted', 'outbound', 'quota']);
  });
});
