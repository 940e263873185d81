import { describe, expect, test } from 'vitest';
import { append, monitorOn, put, tempRoot } from './helpers.js';
import { deferred, dnsFailure, expiredAndBounced, GMAIL_4728, HOUR, MIN, overQuotaBounce, qid, rejectedAndBounced, sent, stamp, TSS04 } from './log-lines.js';

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
