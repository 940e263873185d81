import { describe, expect, test } from 'vitest';
import { keywordAt, parseFwd, parsePassed } from '../../src/monitor/amavis-lines.js';
import { parseBounce, parseDelivery, parseQuotaMatch, parseSmtpdClient } from '../../src/monitor/postfix-lines.js';
import { cleanLine, evidenceLine, headerSafe } from '../../src/monitor/sanitize.js';
import { parseTimestamp, timestampAt, YearTracker } from '../../src/monitor/timestamp.js';
import { parseSince } from '../../src/monitor/since.js';

describe('amavis lines', () => {
  test('FWD from, ZCS 8.0 format (comma then BODY, no mail_id)', () => {
    const msg = '(16426-04) FWD from <admin@domainname.com> -> <x@hotmail.com>,<y@gmail.com>,BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E6806280D72';
    const r = parseFwd('16426-04', msg, keywordAt(msg, 11, 'FWD from '));
    expect(r).toMatchObject({ sender: 'admin@domainname.com', recipients: ['x@hotmail.com', 'y@gmail.com'], queuedAs: ['E6806280D72'] });
  });

  test('FWD from, newer format (mail_id, space before BODY, port 10030)', () => {
    const msg = '(02526-20) 2mwr_Uo4Q4fX FWD from <Admin@Tubui.xyz> -> <x@gmail.com>, BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10030): 250 2.0.0 Ok: queued as 9C1D2B0D3A';
    const at = keywordAt(msg, 11, 'FWD from ');
    expect(at).toBeGreaterThan(11);
    expect(parseFwd('02526-20', msg, at)).toMatchObject({ sender: 'admin@tubui.xyz', recipients: ['x@gmail.com'], queuedAs: ['9C1D2B0D3A'] });
  });

  test('Passed with RelayedOutbound, Queue-ID and the original client', () => {
    const msg =
      '(02526-20) Passed CLEAN {RelayedOutbound}, ORIGINATING/MYNETS LOCAL [127.0.0.1]:56930 [10.0.0.5] <a@b.example> -> <x@gmail.com>,<y@b.example>, Queue-ID: 8B5E4A0C2F, Message-ID: <1.JavaMail.zimbra@b.example>, mail_id: 2mwr_Uo4Q4fX, Hits: -0.999, size: 2345, queued_as: 9C1D2B0D3A, 1234 ms';
    expect(parsePassed('02526-20', msg, 18)).toMatchObject({
      sender: 'a@b.example',
      recipients: ['x@gmail.com', 'y@b.example'],
      queueId: '8B5E4A0C2F',
      queuedAs: ['9C1D2B0D3A'],
      originating: true,
      mynets: true,
      clientIp: '10.0.0.5',
    });
  });

  test('a truncated FWD line keeps the complete addresses only', () => {
    const msg = '(1-1) FWD from <a@b.c> -> <x@y.z>,<w@v.u>,<trunc@ex';
    expect(parseFwd('1-1', msg, 6)?.recipients).toEqual(['x@y.z', 'w@v.u']);
  });
});

describe('postfix and cbpolicyd lines', () => {
  test('smtpd client with SASL login', () => {
    expect(parseSmtpdClient('client=unknown[198.51.100.23], sasl_method=LOGIN, sasl_username=Bob@Example.com')).toEqual({ ip: '198.51.100.23', saslUsername: 'bob@example.com' });
  });

  test('delivery through the content filter names the re-injected queue id', () => {
    const d = parseDelivery('to=<a@b.c>, relay=127.0.0.1[127.0.0.1]:10026, delay=1.1, delays=0.1/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E5D0D1A0164)');
    expect(d).toMatchObject({ to: 'a@b.c', relay: '127.0.0.1[127.0.0.1]:10026', status: 'sent', queuedAs: 'E5D0D1A0164' });
  });

  test('bounce notification', () => {
    expect(parseBounce('sender non-delivery notification: 5F6A7B8C9D')).toBe('5F6A7B8C9D');
  });

  test('cbpolicyd quota_match names the tracked account', () => {
    const line = 'module=Quotas, action=defer, host=1.2.3.4, helo=x, from=bob@example.com, to=a@b.c, reason=quota_match, policy=1, quota=3, limit=4, track=Sender:Bob@Example.com, counter=101, quota=100/100 (100.0%)';
    expect(parseQuotaMatch(line)).toEqual({ track: 'Sender:Bob@Example.com', account: 'bob@example.com', action: 'defer' });
    expect(parseQuotaMatch('module=Quotas, mode=update, reason=quota_update')).toBeUndefined();
  });
});

describe('timestamps', () => {
  test('classic syslog, RFC 3339 and cbpolicyd dates', () => {
    const years = new YearTracker(new Date(2024, 9, 31));
    expect(parseTimestamp('Oct  3 08:49:20 mail x', years)).toBe(new Date(2024, 9, 3, 8, 49, 20).getTime());
    expect(parseTimestamp('2024-10-30T08:49:20.123456+01:00 mail x', years)).toBe(Date.parse('2024-10-30T07:49:20.123Z'));
    expect(parseTimestamp('[2024/10/30-08:55:02 - 5309] [CORE]', years)).toBe(new Date(2024, 9, 30, 8, 55, 2).getTime());
    const buf = Buffer.from('Oct 30 08:49:20 mail x');
    expect(timestampAt(buf, 0, years)).toBe(new Date(2024, 9, 30, 8, 49, 20).getTime());
  });

  test('a year-less log that crosses New Year moves to the next year', () => {
    const years = new YearTracker(new Date(2025, 0, 1, 0, 10)); // file written just after New Year
    expect(new Date(parseTimestamp('Dec 31 23:59:40 mail x', years)).getFullYear()).toBe(2024);
    expect(new Date(parseTimestamp('Jan  1 00:00:05 mail x', years)).getFullYear()).toBe(2025);
  });

  test('--since durations and dates', () => {
    const now = new Date(2024, 9, 30, 12, 0);
    expect(parseSince('2h', now).getTime()).toBe(new Date(2024, 9, 30, 10, 0).getTime());
    expect(parseSince('30m', now).getTime()).toBe(new Date(2024, 9, 30, 11, 30).getTime());
    expect(parseSince('2024-10-30 08:00', now).getTime()).toBe(new Date(2024, 9, 30, 8, 0).getTime());
    expect(() => parseSince('yesterday', now)).toThrow(/--since/);
  });
});

describe('hostile log content', () => {
  test('escape sequences, rsyslog #012 and control characters never reach the admin', () => {
    const dirty = 'FWD from <\x1b[31mevil\x1b[0m@x.y> \x1b]0;owned\x07#012Bcc: victim@z\r\n\x9b2J ok';
    const clean = cleanLine(dirty);
    expect(clean).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(clean).toContain('evil@x.y');
    expect(clean).not.toContain('owned');
  });

  test('bytes that are not UTF-8 become replacement characters', () => {
    const latin1 = Buffer.from([0x52, 0xe9, 0x73, 0xff, 0x41]).toString('latin1');
    expect(evidenceLine(latin1)).toBe('R\ufffds\ufffdA');
  });

  test('header-safe text keeps only plain characters', () => {
    expect(headerSafe('mail.example.com\r\nBcc: x@y')).toBe('mail.example.comBcc: x@y');
  });
});
