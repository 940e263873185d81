import { describe, expect, test } from 'vitest';
import { append, monitorOn, put, tempRoot } from './helpers.js';
import { deferred, dnsDeferred, dnsFailure, expiredAndBounced, GMAIL_4728, GREYLISTED, HOUR, MIN, overQuotaBounce, qid, rejectedAndBounced, sent, stamp, timedOut, TSS04 } from './log-lines.js';

const DAY0 = new Date(2024, 9, 25, 8, 0).getTime();
const text = (lines: string[]) => `${lines.join('\n')}\n`;
const summary = (findings: { type: string; subject: string }[]) => findings.map((f) => `${f.type} ${f.subject.replace(/, since .*/, '')}`).sort();

/** A stolen login relaying spam with forged senders: some recipients' servers reject it at once, the rest stays queued. */
function relayWithRejections(t0: number, forged: string[]): { lines: string[]; queued: { q2: string; sender: string }[] } {
  const lines: string[] = [];
  const queued: { q2: string; sender: string }[] = [];
  forged.forEach((sender, i) => {
    const t = t0 + i * 20_000;
    const m = sent({ t, account: 'bob@example.com', sender, ip: `203.0.113.${10 + (i % 3)}`, to: [`v${i}@hotmail.com`, `w${i}@yahoo.com`] });
    lines.push(...m.lines);
    if (i % 2 === 0) lines.push(...rejectedAndBounced(t + 2000, m.q2, `v${i}@hotmail.com`, sender));
    else queued.push({ q2: m.q2, sender });
  });
  return { lines, queued };
}

describe('backscatter caused by our own relaying, as episodes', () => {
  test('the remote rejections, then the expiry wave five days later: two episodes, each reported by the cron run that sees it', async () => {
    const root = tempRoot();
    const forged = Array.from({ length: 12 }, (_, i) => `user${i}@forged${i}.example`);
    const relay = relayWithRejections(DAY0, forged);
    const file = put(root, '/var/log/zimbra.log', text(relay.lines), new Date(DAY0 + HOUR));
    const first = await monitorOn(root, { now: new Date(DAY0 + HOUR) });
    const bs = first.findings.filter((f) => f.type === 'backscatter');
    expect(bs.map((f) => f.subject)).toEqual([expect.stringMatching(/^caused by our own relaying: rejected by remote servers during SMTP \(5xx\), since /)]);
    expect(bs[0]!.counts.bounces).toBe(6);
    expect(bs[0]!.evidence.join('\n')).toContain('sender non-delivery notification');

    // five days later what stayed queued expires: a second wave of notices to the same forged senders
    const later = DAY0 + 5 * 24 * HOUR;
    append(file, text(relay.queued.flatMap((q, i) => expiredAndBounced(later + i * 30_000, q.q2, q.sender))), new Date(later + HOUR));
    const second = await monitorOn(root, { now: new Date(later + HOUR) });
    expect(summary(second.findings)).toEqual(['backscatter caused by our own relaying: expired in the queue (status=expired, returned to sender)']);
    expect(second.findings[0]!.counts.bounces).toBe(6);

    // the same by a one-shot triage over both days
    const triage = await monitorOn(root, { since: new Date(DAY0 - HOUR), now: new Date(later + HOUR) });
    expect(summary(triage.findings).filter((s) => s.startsWith('backscatter'))).toEqual([
      'backscatter caused by our own relaying: expired in the queue (status=expired, returned to sender)',
      'backscatter caused by our own relaying: rejected by remote servers during SMTP (5xx)',
    ]);
  });

  test('inbound spam to an over-quota mailbox: a few dozen notices in an hour make an episode', async () => {
    const root = tempRoot();
    const lines = Array.from({ length: 30 }, (_, i) => overQuotaBounce(DAY0 + i * 2 * MIN, 'full.box@example.com', `forged${i}@spam${i % 7}.example`)).flat();
    put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    const { findings } = await monitorOn(root, { now: new Date(DAY0 + 2 * HOUR) });
    expect(summary(findings)).toEqual(['backscatter mailbox over quota (552 5.2.2)']);
    expect(findings[0]!.counts.distinctTargets).toBe(30);
  });

  test('a few dozen notices an hour are reported by the cron run after the first ones, in cron mode and by --since', async () => {
    const root = tempRoot();
    const t0 = DAY0 + 2 * MIN;
    const lines = Array.from({ length: 40 }, (_, i) => overQuotaBounce(t0 + i * 90_000, 'full.box@example.com', `forged${i}@spam${i % 9}.example`));
    const at = (t: number) => text(lines.filter((_, i) => t0 + i * 90_000 < t).flat());
    const file = put(root, '/var/log/zimbra.log', '', new Date(DAY0));
    append(file, at(DAY0 + 10 * MIN), new Date(DAY0 + 10 * MIN));
    const run = await monitorOn(root, { now: new Date(DAY0 + 10 * MIN) });
    expect(summary(run.findings)).toEqual(['backscatter mailbox over quota (552 5.2.2)']);
    const triage = tempRoot();
    put(triage, '/var/log/zimbra.log', at(DAY0 + 10 * MIN), new Date(DAY0 + 10 * MIN));
    expect(summary((await monitorOn(triage, { since: new Date(DAY0), now: new Date(DAY0 + 10 * MIN) })).findings)).toEqual(['backscatter mailbox over quota (552 5.2.2)']);
  });

  test('a handful of ordinary bounces stays quiet', async () => {
    const root = tempRoot();
    const lines = Array.from({ length: 5 }, (_, i) => overQuotaBounce(DAY0 + i * 10 * MIN, 'full.box@example.com', `friend${i}@partner.example`)).flat();
    put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    expect((await monitorOn(root, { now: new Date(DAY0 + 2 * HOUR) })).findings).toEqual([]);
  });
});

describe('the deferred queue, as episodes', () => {
  test('rate limiting by Yahoo, then a DNS outage while Yahoo retries still trickle, then Gmail after postsuper -d: each its own episode, reported when it starts', async () => {
    const root = tempRoot();
    const yahoo = Array.from({ length: 15 }, () => qid());
    const lines: string[] = [];
    yahoo.forEach((q, i) => lines.push(deferred(DAY0 + i * 2 * MIN, q, `r${i}@yahoo.com`, TSS04)));
    const file = put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    const first = await monitorOn(root, { now: new Date(DAY0 + HOUR) });
    expect(summary(first.findings)).toEqual(['deferred-queue Yahoo rate limiting (421 4.7.0 [TSS04])']);
    expect(first.findings[0]!.counts.deferredMessages).toBe(15);

    // hours later: Yahoo's retries go on; then the resolver fails for every new delivery, and postqueue -f retries them all
    const t1 = DAY0 + 4 * HOUR;
    const more: string[] = [];
    yahoo.forEach((q, i) => more.push(deferred(t1 + i * MIN, q, `r${i}@yahoo.com`, TSS04)));
    const dns = Array.from({ length: 12 }, () => qid());
    dns.forEach((q, i) => more.push(`${stamp(t1 + 20 * MIN + i * MIN)} mail postfix/smtp[7002]: ${q}: to=<c${i}@customer${i}.example>, relay=none, delay=0.1, delays=0.1/0/0/0, dsn=4.4.3, status=deferred (${dnsFailure(`customer${i}.example`)})`));
    more.push(`${stamp(t1 + 40 * MIN)} mail postfix/postqueue[7100]: warning: Mail system is down -- accessing queue directly`);
    dns.forEach((q, i) => more.push(`${stamp(t1 + 41 * MIN)} mail postfix/smtp[7003]: ${q}: to=<c${i}@customer${i}.example>, relay=none, delay=0.1, delays=0.1/0/0/0, dsn=4.4.3, status=deferred (${dnsFailure(`customer${i}.example`)})`));
    append(file, text(more), new Date(t1 + HOUR));
    const second = await monitorOn(root, { now: new Date(t1 + HOUR) });
    expect(summary(second.findings)).toEqual(['deferred-queue DNS lookups failing (Host not found, try again)']);
    expect(second.findings[0]!.counts.deferredMessages).toBe(12);

    // the admin empties the queue; later Gmail rate-limits a new wave
    const t2 = t1 + 2 * HOUR;
    const last = [`${stamp(t2)} mail postfix/postsuper[7200]: Deleted: 27 messages`];
    for (let i = 0; i < 10; i++) last.push(deferred(t2 + 10 * MIN + i * MIN, qid(), `g${i}@gmail.com`, GMAIL_4728));
    append(file, text(last), new Date(t2 + HOUR));
    const third = await monitorOn(root, { now: new Date(t2 + HOUR) });
    expect(summary(third.findings)).toEqual(['deferred-queue Gmail rate limiting (421-4.7.28)']);
  });

  test('the same retries over and over are not a new episode', async () => {
    const root = tempRoot();
    const qs = Array.from({ length: 15 }, () => qid());
    const lines = qs.map((q, i) => deferred(DAY0 + i * MIN, q, `r${i}@yahoo.com`, TSS04));
    const file = put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    expect((await monitorOn(root, { now: new Date(DAY0 + HOUR) })).findings).toHaveLength(1);
    const t = DAY0 + 6 * HOUR; // after the episode's gap: only retries of the same messages
    append(file, text(qs.map((q, i) => deferred(t + i * MIN, q, `r${i}@yahoo.com`, TSS04))), new Date(t + HOUR));
    expect((await monitorOn(root, { now: new Date(t + HOUR) })).findings).toEqual([]);
  });
});

/**
 * A day of a queue in trouble, as [time, line]: Yahoo rate-limits new mail from T0 (one message every
 * 3 minutes); three hours later, while Yahoo's retries still trickle, the resolver fails for every new
 * delivery; then the admin runs `postsuper -d ALL deferred` and 20 minutes later Gmail rate-limits a
 * new wave. Before and between them: deferrals an admin need not hear about (greylisting, one domain
 * with broken DNS, one dead server, one lone Yahoo deferral).
 */
function queueDay() {
  const T0 = DAY0 + 6 * HOUR;
  const T1 = T0 + 3 * HOUR;
  const T2 = T1 + HOUR;
  const lines: [number, string][] = [];
  const benign = (t: number, i: number) => {
    const kind = i % 4;
    if (kind === 0) lines.push([t, deferred(t, qid(), `a${i}@slow.example`, GREYLISTED)]);
    else if (kind === 1) lines.push([t, dnsDeferred(t, qid(), `b${i}@broken-dns.example`)]);
    else if (kind === 2) lines.push([t, timedOut(t, qid(), `c${i}@dead.example`)]);
    else lines.push([t, deferred(t, qid(), `lone${i}@yahoo.com`, TSS04)]);
  };
  // hours of ordinary deferrals, a few an hour, each cause alone
  for (let i = 0; i < 16; i++) benign(DAY0 + i * 20 * MIN, i);
  const yahoo = Array.from({ length: 20 }, () => qid());
  yahoo.forEach((q, i) => lines.push([T0 + MIN + i * 3 * MIN, deferred(T0 + MIN + i * 3 * MIN, q, `y${i}@yahoo.com`, TSS04)]));
  yahoo.forEach((q, i) => lines.push([T1 - 30 * MIN + i * 2 * MIN, deferred(T1 - 30 * MIN + i * 2 * MIN, q, `y${i}@yahoo.com`, TSS04)]));
  for (let i = 0; i < 15; i++) lines.push([T1 + 2 * MIN + i * MIN, dnsDeferred(T1 + 2 * MIN + i * MIN, qid(), `d${i}@customer${i}.example`)]);
  lines.push([T2, `${stamp(T2)} mail postfix/postsuper[7200]: Deleted: 35 messages`]);
  for (let i = 0; i < 12; i++) lines.push([T2 + 20 * MIN + i * 3 * MIN, deferred(T2 + 20 * MIN + i * 3 * MIN, qid(), `g${i}@gmail.com`, GMAIL_4728)]);
  for (let i = 16; i < 20; i++) benign(T2 + 90 * MIN + (i - 16) * 25 * MIN, i);
  lines.sort((a, b) => a[0] - b[0]);
  return { T0, T1, T2, lines, end: T2 + 4 * HOUR };
}

const upTo = (lines: [number, string][], t: number) => text(lines.filter(([at]) => at < t).map(([, l]) => l));

describe('a deferred-queue episode is reported within one cron interval of its first line', () => {
  test('from cron every 10 minutes with the saved state: Yahoo, the resolver, Gmail after the purge; ordinary deferrals stay quiet', async () => {
    const root = tempRoot();
    const { T0, T1, T2, lines, end } = queueDay();
    const file = put(root, '/var/log/zimbra.log', '', new Date(DAY0));
    const reported: { at: number; subject: string; firstSeen: string }[] = [];
    let written = 0;
    for (let now = DAY0 + 10 * MIN; now <= end; now += 10 * MIN) {
      const chunk = lines.filter(([t]) => t >= now - 10 * MIN && t < now).map(([, l]) => l);
      written += chunk.length;
      if (!chunk.length) continue; // a run over nothing new reports nothing
      append(file, text(chunk), new Date(now));
      for (const f of (await monitorOn(root, { now: new Date(now) })).findings) reported.push({ at: now, subject: `${f.type} ${f.subject.replace(/, since .*/, '')}`, firstSeen: f.firstSeen });
    }
    expect(written).toBe(lines.length);
    expect(reported.map((r) => [r.subject, (r.at - Date.parse(r.firstSeen)) / MIN <= 10])).toEqual([
      ['deferred-queue Yahoo rate limiting (421 4.7.0 [TSS04])', true],
      ['deferred-queue DNS lookups failing (Host not found, try again)', true],
      ['deferred-queue Gmail rate limiting (421-4.7.28)', true],
    ]);
    // the run that reported each is the first one after its start
    expect(reported.map((r) => r.at)).toEqual([T0 + 10 * MIN, T1 + 10 * MIN, T2 + 30 * MIN]);
  });

  test('the window is kept between runs: two rate-limited messages in one run, the third in the next', async () => {
    const root = tempRoot();
    const t = DAY0 + HOUR;
    const file = put(root, '/var/log/zimbra.log', text([deferred(t, qid(), 'a@yahoo.com', TSS04), deferred(t + 3 * MIN, qid(), 'b@yahoo.com', TSS04)]), new Date(t + 5 * MIN));
    expect((await monitorOn(root, { now: new Date(t + 5 * MIN) })).findings).toEqual([]);
    append(file, text([deferred(t + 6 * MIN, qid(), 'c@yahoo.com', TSS04)]), new Date(t + 10 * MIN));
    const second = await monitorOn(root, { now: new Date(t + 10 * MIN) });
    expect(summary(second.findings)).toEqual(['deferred-queue Yahoo rate limiting (421 4.7.0 [TSS04])']);
    expect(second.findings[0]!.counts.deferredMessages).toBe(3);
  });

  test('by monitor --since: a log that ends ten minutes after an episode began reports it; the whole day reports the three and nothing else', async () => {
    const { T0, T1, T2, lines, end } = queueDay();
    const since = new Date(DAY0 - HOUR);
    for (const [cut, want] of [
      [T0 + 10 * MIN, 'deferred-queue Yahoo rate limiting (421 4.7.0 [TSS04])'],
      [T1 + 10 * MIN, 'deferred-queue DNS lookups failing (Host not found, try again)'],
      [T2 + 30 * MIN, 'deferred-queue Gmail rate limiting (421-4.7.28)'],
    ] as const) {
      const root = tempRoot();
      put(root, '/var/log/zimbra.log', upTo(lines, cut), new Date(cut));
      expect(summary((await monitorOn(root, { since, now: new Date(cut) })).findings)).toContain(want);
    }
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', upTo(lines, end), new Date(end));
    expect(summary((await monitorOn(root, { since, now: new Date(end) })).findings)).toEqual([
      'deferred-queue DNS lookups failing (Host not found, try again)',
      'deferred-queue Gmail rate limiting (421-4.7.28)',
      'deferred-queue Yahoo rate limiting (421 4.7.0 [TSS04])',
    ]);
  });

  test('many domains unreachable at once is reported; one dead server, however often retried, is not', async () => {
    const root = tempRoot();
    const t = DAY0 + HOUR;
    const dead = Array.from({ length: 30 }, (_, i) => timedOut(t + i * MIN, qid(), `u${i}@dead.example`));
    const file = put(root, '/var/log/zimbra.log', text(dead), new Date(t + HOUR));
    expect((await monitorOn(root, { now: new Date(t + HOUR) })).findings).toEqual([]);
    const outage = Array.from({ length: 10 }, (_, i) => timedOut(t + 2 * HOUR + i * 30_000, qid(), `v${i}@partner${i}.example`));
    append(file, text(outage), new Date(t + 2 * HOUR + 10 * MIN));
    const { findings } = await monitorOn(root, { now: new Date(t + 2 * HOUR + 10 * MIN) });
    expect(summary(findings)).toEqual(['deferred-queue remote servers unreachable']);
    expect(findings[0]!.counts.distinctDomains).toBe(10);
  });
});
