import { describe, expect, test } from 'vitest';
import { parseSmtpdClient, smtpdClientAt } from '../../src/monitor/postfix-lines.js';
import { QueueIdTable } from '../../src/monitor/queue-id-table.js';

describe('byte-level twins of the string parsers', () => {
  test('smtpd client lines read from bytes say what the string parser says', () => {
    const texts = [
      'client=unknown[198.51.100.23], sasl_method=LOGIN, sasl_username=Bob@Example.com',
      'client=unknown[198.51.100.23], sasl_method=PLAIN, sasl_username= alice@example.org ',
      'client=localhost[127.0.0.1], orig_queue_id=8B5E4A0C2F, orig_client=unknown[192.0.2.10]',
      'client=mail.example.com[10.0.0.5]',
      'client=unknown[2001:db8::1], sasl_method=LOGIN, sasl_username=r\xe9my@example.com, sasl_sender=x@y',
      'client=unknown[198.51.100.23], sasl_method=LOGIN, sasl_username=',
      'client=unknown[198.51.100.2',
      'connect from unknown[198.51.100.23]',
    ];
    for (const text of texts) {
      const buf = Buffer.from(`Oct 30 10:00:00 mail postfix/smtpd[1]: ABC: ${text}`, 'latin1');
      const from = buf.indexOf('ABC: ') + 5;
      expect(smtpdClientAt(buf, from, buf.length)).toEqual(parseSmtpdClient(text));
    }
  });
});

/** The reference: two Maps, the older dropped whole when the newer is full. */
class TwoMaps {
  current = new Map<string, number>();
  previous = new Map<string, number>();
  constructor(private readonly cap: number) {}
  set(k: string, v: number) {
    this.current.set(k, v);
    if (this.current.size >= this.cap) [this.previous, this.current] = [this.current, new Map()];
  }
  get(k: string) {
    return this.current.get(k) ?? this.previous.get(k);
  }
}

describe('queue id table', () => {
  test('keeps, finds and lists what two generations of Maps would', () => {
    const table = new QueueIdTable(50);
    const reference = new TwoMaps(50);
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const keys = Array.from({ length: 300 }, (_, i) => (i % 17 === 0 ? `${'L'.repeat(40)}${i}` : (next() % 0xfffffff).toString(16).toUpperCase()));
    for (let i = 0; i < 2000; i++) {
      const key = keys[next() % keys.length]!;
      if (next() % 3 === 0) {
        table.set(key, i, `a${i}`, `b${i}`);
        reference.set(key, i);
      } else {
        const expected = reference.get(key);
        expect(table.get(key)).toBe(expected !== undefined);
        expect(table.has(key)).toBe(expected !== undefined);
        if (expected !== undefined) expect(table.found).toEqual({ t: expected, first: `a${expected}`, second: `b${expected}` });
      }
    }
    expect(table.entries().map(([k, v]) => [k, v.t])).toEqual([...reference.previous, ...reference.current]);
  });
});
