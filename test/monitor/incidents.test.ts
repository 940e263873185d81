import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { generateLogs, writeZimbraLog, type Incident, type LogGenOptions } from '../../src/simulation/loggen/generate.js';
import { append, DOMAINS, fixture, monitorOn, put, tempRoot } from './helpers.js';

const START = new Date(2024, 9, 30, 6, 0);

async function generated(incidents: Incident[], extra: Partial<LogGenOptions> = {}) {
  const root = tempRoot();
  put(root, '/var/log/zimbra.log', '');
  put(root, '/opt/zimbra/log/cbpolicyd.log', '');
  const summary = await writeZimbraLog(
    { seed: 11, start: START, hours: 4, domains: DOMAINS, accountCount: 30, messagesPerHour: 150, incidents, ...extra },
    { mail: join(root, 'var/log/zimbra.log'), policyd: join(root, 'opt/zimbra/log/cbpolicyd.log') },
  );
  return { root, summary };
}

const kinds = (findings: { type: string; subject: string }[]) => findings.map((f) => `${f.type} ${f.subject}`).sort();

describe('findings on generated traffic', () => {
  test('ordinary traffic alone gives nothing to report', async () => {
    const { root } = await generated([]);
    const result = await monitorOn(root);
    expect(result.findings).toEqual([]);
    expect(result.bytesRead).toBeGreaterThan(100_000);
  });

  test('look-alikes stay quiet, from cron and by --since: holiday greetings to 70 contacts, a brute force that never logged in, an inbound joe-job wave, ordinary deferrals', async () => {
    const accounts = ['grace.greets@example.org', ...Array.from({ length: 29 }, (_, i) => `user${i}@${DOMAINS[i % 2]}`)];
    const { root } = await generated(
      [
        { type: 'greetings', account: 'grace.greets@example.org', atMinute: 30, contacts: 70 },
        { type: 'brute-force', atMinute: 60, attempts: 300, minutes: 60 },
        { type: 'joe-job', atMinute: 90, bounces: 100, minutes: 60 },
        { type: 'stray-deferrals', atMinute: 0, days: 1, perHour: 12 },
      ],
      { accounts },
    );
    expect((await monitorOn(root)).findings).toEqual([]);
    expect((await monitorOn(root, { since: new Date(START.getTime() - 3600_000) })).findings).toEqual([]);
  });

  describe('an invoicing run and a distribution list, with two days of history already rotated', () => {
    const DAY0 = new Date(2024, 9, 28).getTime(); // a Monday
    const H = 3600_000;
    const LIVE = DAY0 + 48 * H;
    const INVOICES = 400;
    // the application's account sends nothing but invoices
    const users = ['dora.lists@example.org', ...Array.from({ length: 28 }, (_, i) => `user${i}@${DOMAINS[i % 2]}`)];
    const accounts = ['billing@example.com', ...users];
    const invoicing = (days: number, account = 'billing@example.com', invoices = INVOICES, mynetworks = false): Incident => ({ type: 'invoicing', account, atMinute: 17 * 60, days, invoices, minutes: 45, mynetworks });
    const list: Incident = { type: 'distribution-list', account: 'dora.lists@example.org', list: 'all-partners@example.org', members: 420, outside: 160, atMinute: 10 * 60, messages: 3, minutes: 300 };

    /** Generated lines from `start` for `hours`, each with its time (classic stamps: the year is the generator's). */
    async function lines(start: number, hours: number, seed: number, incidents: Incident[]): Promise<[number, string][]> {
      let text = '';
      await generateLogs({ seed, start: new Date(start), hours, domains: DOMAINS, accounts: users, messagesPerHour: 20, incidents }, (target, chunk) => {
        if (target === 'mail') text += chunk;
      });
      return text
        .split('\n')
        .filter(Boolean)
        .map((l): [number, string] => [Date.parse(`${l.slice(0, 15)} 2024`), l])
        .sort((a, b) => a[0] - b[0]);
    }

    /** Monday and Tuesday (with their invoicing runs) in zimbra.log.1.gz; Wednesday's lines, to be written to zimbra.log. */
    async function server(live: Incident[], invoicesBefore = INVOICES, mynetworks = false) {
      const root = tempRoot();
      const rotated = (await lines(DAY0, 48, 21, [invoicing(2, 'billing@example.com', invoicesBefore, mynetworks)])).filter(([t]) => t < LIVE).map(([, l]) => l);
      put(root, '/var/log/zimbra.log.1.gz', gzipSync(Buffer.from(`${rotated.join('\n')}\n`, 'latin1')), new Date(LIVE));
      const file = put(root, '/var/log/zimbra.log', '', new Date(LIVE));
      return { root, file, today: await lines(LIVE, 20, 22, live) };
    }

    /** From cron: the day's lines arrive in steps (one run cutting through the invoicing run); returns every run's findings. */
    async function cron(root: string, file: string, today: [number, string][], day = LIVE) {
      const found = [];
      let from = day;
      for (const hour of [8, 17.25, 17.5, 20]) {
        const now = day + hour * H;
        append(file, today.filter(([t]) => t >= from && t < now).map(([, l]) => `${l}\n`).join(''), new Date(now));
        found.push(...(await monitorOn(root, { now: new Date(now), accounts })).findings);
        from = now;
      }
      return found;
    }

    // 250: over the distinct outside recipients of a window (100); 400: over its recipients too (300)
    test.each([
      [250, 'SMTP AUTH', false],
      [400, 'SMTP AUTH', false],
      [400, 'the trusted network without a login', true],
    ])('both stay quiet, from cron and by --since (%i invoices a day, over %s)', async (invoices, _, mynetworks) => {
      const { root, file, today } = await server([invoicing(1, 'billing@example.com', invoices, mynetworks), list], invoices, mynetworks);
      // what the day holds: the run's invoices to distinct customers, the list expanded after amavis
      const day = today.map(([, l]) => l);
      const ip = mynetworks ? '10.0.0.40' : '198.51.100.23';
      expect(day.filter((l) => l.includes(`[${ip}], sasl_method=LOGIN, sasl_username=billing@example.com`)).length).toBe(mynetworks ? 0 : invoices);
      const passed = day.filter((l) => l.includes('Passed CLEAN') && l.includes(`${mynetworks ? 'ORIGINATING/MYNETS' : 'ORIGINATING'} LOCAL [127.0.0.1]`) && l.includes(`[${ip}] <billing@example.com> ->`));
      expect(new Set(passed.map((l) => /-> <([^>]+)>/.exec(l)![1])).size).toBe(invoices);
      expect(day.filter((l) => l.includes('orig_to=<all-partners@example.org>') && l.includes('postfix/smtp[')).length).toBe(3 * 160);
      expect(day.filter((l) => l.includes('amavis') && l.includes('<dora.lists@example.org> -> <all-partners@example.org>,')).length).toBeGreaterThan(0);

      expect(await cron(root, file, today)).toEqual([]);
      const triage = await monitorOn(root, { since: new Date(LIVE), now: new Date(LIVE + 20 * H), accounts });
      expect(triage.findings).toEqual([]);
    });

    const subjects = (fs: { type: string; subject: string }[]) => [...new Set(kinds(fs))];

    test('the same run from an account that never sent one is reported, from cron and by --since', async () => {
      const { root, file, today } = await server([invoicing(1, 'user3@example.com')]);
      expect(subjects(await cron(root, file, today))).toEqual(['stolen-account user3@example.com']);
      expect(kinds((await monitorOn(root, { since: new Date(LIVE), now: new Date(LIVE + 20 * H), accounts })).findings)).toEqual(['stolen-account user3@example.com']);
    });

    test('the application account relaying far beyond its runs is reported, from cron and by --since', async () => {
      const { root, file, today } = await server([invoicing(1, 'billing@example.com', 3 * INVOICES)]);
      const found = await cron(root, file, today);
      expect(subjects(found)).toEqual(['stolen-account billing@example.com']);
      expect(found[0]!.reasons.join(' ')).toContain('more than 300 recipients in 60 min');
      expect(kinds((await monitorOn(root, { since: new Date(LIVE), now: new Date(LIVE + 20 * H), accounts })).findings)).toEqual(['stolen-account billing@example.com']);
    });
    test('an application on the trusted network sending as an address of ours that is no account is reported, unless the config declares that address', async () => {
      const { root, file, today } = await server([invoicing(1, 'noreply@example.com', INVOICES, true)]);
      append(file, today.map(([, l]) => `${l}\n`).join(''), new Date(LIVE + 20 * H));
      const triage = { since: new Date(LIVE), now: new Date(LIVE + 20 * H), accounts };
      expect(kinds((await monitorOn(root, triage)).findings)).toEqual(['forged-sender-relay client 10.0.0.40']);
      expect((await monitorOn(root, { ...triage, settings: { ownAddresses: ['noreply@example.com'] } })).findings).toEqual([]);
    });

    test('a day the account was reported on teaches nothing: the next day a smaller burst, still beyond its runs, is reported too', async () => {
      const { root, file, today } = await server([invoicing(1, 'billing@example.com', 3 * INVOICES)]);
      expect(subjects(await cron(root, file, today))).toEqual(['stolen-account billing@example.com']);
      // Thursday: 2.5 × its usual run, below 1.5 × what Wednesday's reported burst sent in one window
      const thursday = await lines(LIVE + 24 * H, 20, 23, [invoicing(1, 'billing@example.com', 2.5 * INVOICES)]);
      expect(subjects(await cron(root, file, thursday, LIVE + 24 * H))).toEqual(['stolen-account billing@example.com']);
    });
  });

  test('a stolen webmail session (no SASL, sender = account) is named by its account', async () => {
    const { root } = await generated([{ type: 'stolen-webmail', account: 'web.victim@example.org', atMinute: 60, messages: 30, recipientsPerMessage: 20 }]);
    const { findings } = await monitorOn(root);
    expect(kinds(findings)).toEqual(['stolen-account web.victim@example.org']);
    expect(findings[0]).toMatchObject({ origin: 'webmail', account: 'web.victim@example.org' });
    expect(findings[0]!.reasons.join(' ')).toMatch(/distinct outside recipients|recipients in 60 min/);
  });

  test('a stolen SMTP AUTH login used from many networks', async () => {
    const { root } = await generated([{ type: 'stolen-smtp-auth', account: 'road.warrior@example.com', atMinute: 60, messages: 24, networks: 10 }]);
    const { findings } = await monitorOn(root);
    expect(kinds(findings)).toEqual(['stolen-account road.warrior@example.com']);
    expect(findings[0]!.reasons.join(' ')).toContain('networks');
    expect(findings[0]!.counts.networksInWindow).toBeGreaterThan(5);
  });

  test('a legitimate high-volume sender within its configured allowance is not flagged', async () => {
    const incident: Incident = { type: 'stolen-webmail', account: 'newsletter@example.org', atMinute: 60, messages: 30, recipientsPerMessage: 20 };
    const { root } = await generated([incident]);
    const { findings } = await monitorOn(root, { allowances: { 'newsletter@example.org': 2000 } });
    expect(findings).toEqual([]);
  });

  test('forged relaying mixed into traffic, with the quota alarm from cbpolicyd', async () => {
    const { root } = await generated([
      { type: 'forged-relay', account: 'bob.relay@example.com', atMinute: 30, messages: 20, recipientsPerMessage: 60 },
      { type: 'quota-hit', account: 'bob.relay@example.com', atMinute: 40, hits: 3 },
    ]);
    const { findings } = await monitorOn(root);
    expect(kinds(findings)).toEqual(['forged-sender-relay bob.relay@example.com', 'quota-hit bob.relay@example.com', 'stolen-account bob.relay@example.com']);
    const relay = findings.find((f) => f.type === 'forged-sender-relay')!;
    expect(relay.counts).toMatchObject({ messages: 20, forgedSenders: 20, outsideRecipients: 1200 });
    // 60 recipients per FWD line: amavis split them into continuation lines, joined again
    expect(relay.evidence[0]).toMatch(/FWD from|Passed CLEAN/);
    expect(findings.find((f) => f.type === 'quota-hit')!.counts.deferredByQuota).toBe(3);
  });

  test('the quota alarm from the cbpolicyd log fixture', async () => {
    const root = tempRoot();
    put(root, '/opt/zimbra/log/cbpolicyd.log', fixture('cbpolicyd.log'));
    const { findings } = await monitorOn(root);
    expect(kinds(findings)).toEqual(['quota-hit bob@example.com']);
    expect(findings[0]!.counts.deferredByQuota).toBe(2);
    expect(findings[0]!.evidence[0]).toContain('reason=quota_match');
  });

  test('backscatter: bounces to forged outside senders nobody here mailed', async () => {
    const { root } = await generated([{ type: 'backscatter', atMinute: 60, bounces: 80, minutes: 20 }]);
    const { findings } = await monitorOn(root);
    expect(kinds(findings)).toEqual([expect.stringMatching(/^backscatter unknown or unavailable local recipient, since /)]);
    expect(findings[0]!.evidence[0]).toContain('sender non-delivery notification');
    expect(findings[0]!.actions[0]).toContain('catch-all');
  });

  test('a growing deferred queue', async () => {
    const { root } = await generated([{ type: 'deferred', atMinute: 60, deferrals: 260, minutes: 40 }], { quirks: true });
    const { findings } = await monitorOn(root);
    expect(kinds(findings)).toEqual([expect.stringMatching(/^deferred-queue temporary delivery failures, since /)]);
    expect(findings[0]!.counts.deferredMessages).toBeGreaterThanOrEqual(200);
    // rsyslog's #012 inside the reply is shown as a space
    expect(findings[0]!.evidence.join('\n')).not.toContain('#012');
  });
});

describe('the demo log', () => {
  test("the sandbox's compromised account is found, by --since triage too", async () => {
    const { writeDemoLog } = await import('../../src/simulation/loggen/demo-log.js');
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', '');
    const end = new Date();
    const demo = await writeDemoLog(join(root, 'var/log/zimbra.log'), { domains: ['a.example', 'b.example'], accounts: ['admin@a.example', 'user1@a.example', 'user2@b.example'], compromised: 'user1@a.example', end });
    expect(demo.compromised).toBe('user1@a.example');
    const { findings } = await monitorOn(root, { domains: ['a.example', 'b.example'], now: end });
    expect(findings.find((f) => f.type === 'forged-sender-relay')).toMatchObject({ subject: 'user1@a.example', origin: 'smtp-auth' });
    const triage = await monitorOn(root, { domains: ['a.example', 'b.example'], since: new Date(end.getTime() - 2 * 3600_000) });
    expect(triage.findings.map((f) => `${f.type} ${f.subject}`)).toContain('forged-sender-relay user1@a.example');
  });
});
