import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { monitorOn, put, tempRoot } from './helpers.js';
import { HOUR, MIN, sent, stamp } from './log-lines.js';

const text = (lines: string[]) => `${lines.join('\n')}\n`;

describe('a logger host: several servers in one zimbra.log', () => {
  test('queue ids that collide between mta1 and mta2 are kept apart, and each finding names the MTA', async () => {
    const root = tempRoot();
    const t0 = new Date(2024, 9, 30, 9, 0).getTime();
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
      const t = t0 + i * MIN;
      const q1 = `AB${i}C0D1E2`;
      const q2 = `BC${i}D0E1F2`;
      // the same queue ids on both MTAs: on mta1 a forged-sender relay through bob's login, on mta2 alice's ordinary mail
      const relay = sent({ t, account: 'bob@example.com', sender: `spam${i}@yahoo.com`, ip: '203.0.113.9', to: [`v${i}@gmail.com`], host: 'mta1.example.com', q1, q2 });
      const ordinary = sent({ t, account: 'alice@example.com', ip: '192.0.2.7', to: [`friend${i}@partner.example`], host: 'mta2', q1, q2 });
      // interleaved: mta2's login line comes between mta1's login and mta1's amavis line
      lines.push(relay.lines[0]!, ordinary.lines[0]!, ...relay.lines.slice(1), ...ordinary.lines.slice(1));
    }
    lines.push(`${stamp(t0)} mbox1 zimbramon[3333]: 3333:info: zmstat mtaqueue.csv: 0, 0, 0, 0`);
    put(root, '/var/log/zimbra.log', text(lines), new Date(t0 + HOUR));
    const { findings } = await monitorOn(root, { now: new Date(t0 + HOUR) });
    expect(findings.map((f) => `${f.type} ${f.subject}`).sort()).toEqual(['forged-sender-relay bob@example.com', 'stolen-account bob@example.com']);
    for (const f of findings) expect(f.mtas).toEqual(['mta1.example.com']);
    expect(findings.find((f) => f.type === 'forged-sender-relay')!.counts.messages).toBe(6);
  });
});

describe('syslog years and formats', () => {
  test('a file last written on 2 December whose lines say Dec 28 is from the previous year', async () => {
    const root = tempRoot();
    const t0 = new Date(2023, 11, 28, 10, 0).getTime();
    const lines = [0, 1, 2].flatMap((i) => sent({ t: t0 + i * MIN, account: 'bob@example.com', sender: `s${i}@yahoo.com`, ip: '203.0.113.9', to: [`v${i}@gmail.com`] }).lines);
    put(root, '/var/log/zimbra.log', text(lines), new Date(2024, 11, 2, 12, 0));
    const { findings } = await monitorOn(root, { now: new Date(2024, 11, 2, 12, 5) });
    expect(findings[0]!.firstSeen).toBe(new Date(t0).toISOString());
  });

  test('Zimbra 8.0 (one amavis pass, FWD without mail_id) then 8.8 (two passes, Passed lines), rsyslog switching to RFC 3339 mid-file', async () => {
    const root = tempRoot();
    const lines = [
      // 8.0: FWD lines only, joined to the login through the content-filter hop
      'Oct 30 08:00:00 mail postfix/submission/smtpd[2345]: 1A2B3C4D5E: client=unknown[203.0.113.9], sasl_method=LOGIN, sasl_username=bob@example.com',
      'Oct 30 08:00:01 mail amavis[4526]: (04526-01) FWD from <spam1@yahoo.com> -> <v1@gmail.com>,<v2@gmail.com>,BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 2B3C4D5E6F',
      'Oct 30 08:00:01 mail postfix/smtp[2400]: 1A2B3C4D5E: to=<v1@gmail.com>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0.1/0/0/0.9, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 2B3C4D5E6F)',
      // 8.8 after the upgrade, and rsyslog now writes RFC 3339 stamps
      '2024-10-30T10:00:00.123456+00:00 mail postfix/submission/smtpd[3345]: 3C4D5E6F7A: client=unknown[203.0.113.9], sasl_method=LOGIN, sasl_username=bob@example.com',
      '2024-10-30T10:00:01.000000+00:00 mail postfix/smtpd[3410]: 4D5E6F7A8B: client=localhost[127.0.0.1]',
      '2024-10-30T10:00:01.100000+00:00 mail amavis[2526]: (02526-20) 2mwr_Uo4Q4fX FWD from <spam2@yahoo.com> -> <v3@gmail.com>, BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10030): 250 2.0.0 Ok: queued as 4D5E6F7A8B',
      '2024-10-30T10:00:01.200000+00:00 mail amavis[2526]: (02526-20) Passed CLEAN {RelayedOutbound}, ORIGINATING LOCAL [127.0.0.1]:56930 [203.0.113.9] <spam2@yahoo.com> -> <v3@gmail.com>, Queue-ID: 3C4D5E6F7A, Message-ID: <a@x>, mail_id: 2mwr_Uo4Q4fX, Hits: -1, size: 2345, queued_as: 4D5E6F7A8B, 100 ms',
      '2024-10-30T10:00:02.000000+00:00 mail postfix/smtpd[3411]: 5E6F7A8B9C: client=localhost[127.0.0.1], orig_queue_id=4D5E6F7A8B, orig_client=unknown[203.0.113.9]',
      '2024-10-30T10:00:02.100000+00:00 mail amavis[2527]: (02527-01) aaBBccDDeeFF FWD from <spam2@yahoo.com> -> <v3@gmail.com>, BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 5E6F7A8B9C',
      '2024-10-30T10:00:02.200000+00:00 mail amavis[2527]: (02527-01) Passed CLEAN {RelayedOutbound}, ORIGINATING/MYNETS LOCAL [127.0.0.1]:56931 [127.0.0.1] <spam2@yahoo.com> -> <v3@gmail.com>, Queue-ID: 4D5E6F7A8B, Message-ID: <a@x>, mail_id: aaBBccDDeeFF, Hits: -1, size: 2345, queued_as: 5E6F7A8B9C, 100 ms',
    ];
    put(root, '/var/log/zimbra.log', text(lines));
    const { findings } = await monitorOn(root);
    expect(findings.map((f) => `${f.type} ${f.subject}`)).toEqual(['forged-sender-relay bob@example.com']);
    // one message per version: the 8.8 message's second pass counts once
    expect(findings[0]!.counts).toMatchObject({ messages: 2, outsideRecipients: 3 });
    expect(findings[0]!.lastSeen).toBe('2024-10-30T10:00:01.200Z');
  });
});

describe('damaged logs', () => {
  test('a truncated .gz rotation is read up to the damage, and the report says so', async () => {
    const root = tempRoot();
    const lines = Array.from({ length: 400 }, (_, i) => `Oct 29 10:${String(i % 60).padStart(2, '0')}:00 mail postfix/smtpd[1]: connect from unknown[192.0.2.${i % 250}] ${'x'.repeat(i % 50)}`);
    const gz = gzipSync(Buffer.from(text(lines)));
    put(root, '/var/log/zimbra.log.1.gz', gz.subarray(0, Math.floor(gz.length / 2)), new Date(2024, 9, 29, 23, 0));
    put(root, '/var/log/zimbra.log', '');
    const run = await monitorOn(root, { since: new Date(2024, 9, 29) });
    expect(run.warnings.join('\n')).toMatch(/\/var\/log\/zimbra\.log\.1\.gz is a truncated archive/);
  });
});
