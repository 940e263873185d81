import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { writeZimbraLog } from '../../src/simulation/loggen/generate.js';
import { amavisParts } from '../../src/simulation/loggen/syslog-format.js';
import { DOMAINS, fixture, monitorOn, put, tempRoot } from './helpers.js';

describe('real log quirks', () => {
  test('RFC 3339 timestamps (rsyslog high-precision format)', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', '');
    await writeZimbraLog(
      { seed: 5, start: new Date(2024, 9, 30, 6, 0), hours: 2, domains: DOMAINS, timestampFormat: 'rfc3339', incidents: [{ type: 'forged-relay', account: 'bob@example.com', atMinute: 20, messages: 5 }] },
      { mail: join(root, 'var/log/zimbra.log') },
    );
    const { findings } = await monitorOn(root);
    expect(findings.map((f) => f.type)).toContain('forged-sender-relay');
    expect(findings[0]!.evidence[0]).toMatch(/^2024-10-30T0\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d mail /);
  });

  test('a long FWD line that amavis split into continuation lines is joined (FWD-only log)', async () => {
    const recipients = Array.from({ length: 80 }, (_, i) => `<victim${i}@gmail.com>`).join(',');
    const parts = amavisParts('18001-33', `FWD from <spam@yahoo.com> -> ${recipients},BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E5D0D1A0999`);
    expect(parts.length).toBeGreaterThan(1);
    const log = [
      'Oct 30 10:00:00 mail postfix/submission/smtpd[2346]: 3A1B2C3D99: client=unknown[198.51.100.99], sasl_method=LOGIN, sasl_username=bob@example.com',
      ...parts.map((p) => `Oct 30 10:00:01 mail amavis[18001]: ${p}`),
      'Oct 30 10:00:01 mail postfix/smtp[2420]: 3A1B2C3D99: to=<victim0@gmail.com>, relay=127.0.0.1[127.0.0.1]:10026, delay=1.1, delays=0.1/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E5D0D1A0999)',
      '',
    ].join('\n');
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', log);
    const { findings } = await monitorOn(root);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ subject: 'bob@example.com', counts: { messages: 1, outsideRecipients: 80 } });
  });

  test('rsyslog "message repeated N times" of one deferred message is a retry, not queue growth', async () => {
    const deferred = (qid: string) =>
      `${qid}: to=<a@slow.example>, relay=none, delay=31, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (host mx.slow.example said: 450-4.7.1 Try later#012450 4.7.1 Greylisted)`;
    const thresholds = { deferrals: 3, recipientsPerHour: 300, distinctRecipients: 100, distinctClientIps: 5, backscatterBounces: 50, windowMinutes: 60 };
    const once = [`Oct 30 10:00:00 mail postfix/smtp[900]: ${deferred('AAA1')}`, `Oct 30 10:00:05 mail postfix/smtp[900]: message repeated 4 times: [ ${deferred('AAA1')}]`];
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', `${once.join('\n')}\n`);
    expect((await monitorOn(root, { settings: { thresholds } })).findings).toEqual([]);
    const three = [...once, `Oct 30 10:01:00 mail postfix/smtp[901]: ${deferred('BBB2')}`, `Oct 30 10:02:00 mail postfix/smtp[902]: ${deferred('CCC3')}`];
    put(root, '/var/log/zimbra.log', `${three.join('\n')}\n`);
    const { findings } = await monitorOn(root, { since: new Date(2024, 9, 30), settings: { thresholds } });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.counts.deferredMessages).toBe(3);
    expect(findings[0]!.evidence.join('\n')).toContain('450-4.7.1 Try later 450 4.7.1');
  });

  test('after a crash: a truncated line, a NUL run, bytes that are not UTF-8 and escape sequences', async () => {
    const lines = fixture('recipe-fwd-only.log').split('\n');
    const sasl = lines.findIndex((l) => l.includes('sasl_username=bob@example.com'));
    const crashed = [
      ...lines.slice(0, sasl),
      // the crash: half a line, then the rest of the block full of NULs, then syslog goes on
      'Oct 30 08:49:18 mail postfix/submission/smtpd[2346]: connect from unkn' + '\0'.repeat(3000) + lines[sasl],
      'Oct 30 08:49:19 mail postfix/cleanup[2400]: 3A1B2C3D4E: warning: header Subject: R\xe9sum\xe9 \xff\xfe from unknown[198.51.100.99]',
      ...lines.slice(sasl + 1).map((l) => l.replace('<addresse@yahoo.com>', '<\x1b[2J\x1b]0;pwned\x07addresse@yahoo.com>')),
    ].join('\n');
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', Buffer.from(crashed, 'latin1'));
    const { findings } = await monitorOn(root);
    expect(findings.map((f) => f.subject)).toEqual(['bob@example.com']);
    const text = JSON.stringify(findings);
    expect(text).not.toMatch(/\\u001b|\\u0007|\\u0000/);
    expect(findings[0]!.evidence.join('\n')).not.toContain('pwned');
  });

  test('a line of more than 64 KiB without a newline is cut, not kept whole', async () => {
    const log = `Oct 30 10:00:00 mail junk: ${'x'.repeat(200_000)}\n${fixture('recipe-fwd-only.log')}`;
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', log);
    const { findings } = await monitorOn(root);
    expect(findings.map((f) => f.subject)).toEqual(['bob@example.com']);
  });
});
