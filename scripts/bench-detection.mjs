// Detection quality of the monitor on a realistic generated corpus: recall, precision and detection delay per
// finding type, both run every 10 minutes from cron (state kept between runs) and as a one-shot `--since` triage.
// Used by scripts/bench.mjs; `lib` is the bundle it builds (runMonitor, generateLogs, RealHost).
import { appendFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DAY = 1440;
const MIN = 60_000;
const INTERVAL = 10 * MIN;
const DOMAINS = ['example.com', 'example.org'];

/** The corpus: five days (the first one already rotated to zimbra.log.1.gz), three log formats one after the other. */
export const CORPUS = {
  start: '2024-11-04T00:00:00',
  days: 5,
  accounts: 300,
  messagesPerHour: 600,
  parts: [
    { fromDay: 0, toDay: 2, amavisStyle: 'classic', timestampFormat: 'classic' }, // ZCS 8.0: one amavis pass, FWD lines
    { fromDay: 2, toDay: 4, amavisStyle: 'mail-id', timestampFormat: 'classic' }, // upgraded to 8.8
    { fromDay: 4, toDay: 5, amavisStyle: 'mail-id', timestampFormat: 'rfc3339', quirks: true }, // rsyslog switched to RFC 3339; a crash
  ],
};

/** Incidents (atMinute from the corpus start) with what must be reported for each. `expect: []` is a look-alike that must stay quiet. */
export const INCIDENTS = [
  { name: 'relaying with forged senders, rejected at once', incident: { type: 'relay-backscatter', account: 'bob.relay@example.com', atMinute: DAY + 600, messages: 40, expireAfterHours: 60 }, expect: [['forged-sender-relay', 'bob.relay@example.com'], ['stolen-account', 'bob.relay@example.com']] },
  { name: 'backscatter of that relaying (remote 5xx)', at: DAY + 600, expect: [['backscatter', 'caused by our own relaying: rejected']] },
  { name: 'backscatter of that relaying (expired after 60 h)', at: DAY + 600 + 3600, expect: [['backscatter', 'caused by our own relaying: expired']] },
  { name: 'inbound spam to an over-quota mailbox', incident: { type: 'over-quota', account: 'full.box@example.org', atMinute: DAY + 1000, bounces: 40, minutes: 60 }, expect: [['backscatter', 'mailbox over quota']] },
  { name: 'Yahoo rate limiting (TSS04)', incident: { type: 'rate-limit', provider: 'yahoo', atMinute: 2 * DAY + 540, messages: 40, minutes: 120 }, expect: [['deferred-queue', 'Yahoo rate limiting']] },
  { name: 'DNS resolver outage, then postqueue -f', incident: { type: 'dns-outage', atMinute: 2 * DAY + 900, messages: 60, minutes: 45 }, expect: [['deferred-queue', 'DNS lookups failing']] },
  { name: 'credential stuffing: one login from 30 new networks', incident: { type: 'credential-stuffing', account: 'carol.stuffed@example.com', atMinute: 3 * DAY + 720, networks: 30, minutes: 120 }, expect: [['stolen-account', 'carol.stuffed@example.com']] },
  { name: 'postsuper -d ALL deferred', incident: { type: 'queue-purge', atMinute: 3 * DAY + 960, deleted: 57 }, expect: [] },
  { name: 'Gmail rate limiting (4.7.28) after the purge', incident: { type: 'rate-limit', provider: 'gmail', atMinute: 3 * DAY + 1000, messages: 30, minutes: 90 }, expect: [['deferred-queue', 'Gmail rate limiting']] },
  { name: 'stolen webmail session (RFC 3339 part)', incident: { type: 'stolen-webmail', account: 'web.victim@example.org', atMinute: 4 * DAY + 300, messages: 60, recipientsPerMessage: 20 }, expect: [['stolen-account', 'web.victim@example.org']] },
  { name: 'backscatter of spam to unknown users', incident: { type: 'backscatter', atMinute: 4 * DAY + 600, bounces: 80, minutes: 40 }, expect: [['backscatter', 'unknown or unavailable local recipient']] },
  { name: 'private freemail address as sender (a note)', incident: { type: 'private-sender', account: 'erin.home@example.com', atMinute: DAY + 800, messages: 3, minutes: 60 }, expect: [['private-sender', 'erin.home@example.com']] },
  // look-alikes
  { name: 'newsletter, 2,000 recipients a workday from one address', incident: { type: 'newsletter', account: 'news@example.com', atMinute: 0, days: 2 }, expect: [] },
  { name: 'travelling user on three networks', incident: { type: 'traveller', account: 'dan.travel@example.com', atMinute: 2 * DAY + 600, networks: 3, messages: 12, minutes: 300 }, expect: [] },
  { name: 'holiday greetings to 70 contacts', incident: { type: 'greetings', account: 'grace.greets@example.org', atMinute: 3 * DAY + 600, contacts: 70 }, expect: [] },
  { name: 'brute force that never logged in', incident: { type: 'brute-force', atMinute: DAY + 100, attempts: 300, minutes: 60 }, expect: [] },
  { name: 'inbound joe-job notices', incident: { type: 'joe-job', atMinute: 2 * DAY + 200, bounces: 100, minutes: 60 }, expect: [] },
  { name: 'invoicing application, 350 invoices with a PDF each workday at 17:00 to distinct customers (SMTP AUTH, one fixed address)', incident: { type: 'invoicing', account: 'billing@example.com', atMinute: 17 * 60, days: 2, invoices: 350, minutes: 45 }, expect: [] },
  { name: 'distribution list of 600 members (200 outside), expanded after amavis', incident: { type: 'distribution-list', account: 'dora.lists@example.org', list: 'all-partners@example.org', members: 600, outside: 200, atMinute: 2 * DAY + 660, messages: 4, minutes: 240 }, expect: [] },
  { name: 'forwarding to a private gmail address', incident: { type: 'forwarding', account: 'frank.fwd@example.com', atMinute: DAY + 300, messages: 40, minutes: 600 }, expect: [] },
  { name: 'ordinary deferrals, 4 an hour: greylisting, two domains with broken DNS, a dead server, a lone Yahoo TSS04', incident: { type: 'stray-deferrals', atMinute: 0, days: 2 }, expect: [] },
];

const special = ['bob.relay@example.com', 'full.box@example.org', 'carol.stuffed@example.com', 'web.victim@example.org', 'erin.home@example.com', 'news@example.com', 'dan.travel@example.com', 'grace.greets@example.org', 'frank.fwd@example.com', 'billing@example.com', 'dora.lists@example.org'];

function accounts(n) {
  const out = [...special];
  for (let i = 0; out.length < n; i++) out.push(`user${i}@${DOMAINS[i % 2]}`);
  return out;
}

/** Epoch ms of a generated line's stamp (classic stamps are in 2024, the corpus's year). */
function lineTime(line) {
  if (line.charCodeAt(0) >= 48 && line.charCodeAt(0) <= 57) return Date.parse(line.slice(0, line.indexOf(' ')));
  return Date.parse(`${line.slice(0, 15)} 2024`);
}

/** Writes the corpus; returns its lines with their times (the live part) and the rotated file. */
async function generate(lib, dir) {
  const start = new Date(CORPUS.start).getTime();
  const list = accounts(CORPUS.accounts);
  const lines = [];
  const policyd = [];
  for (const [i, part] of CORPUS.parts.entries()) {
    const from = start + part.fromDay * DAY * MIN;
    const incidents = INCIDENTS.filter((x) => x.incident && x.incident.atMinute >= part.fromDay * DAY && x.incident.atMinute < part.toDay * DAY).map((x) => ({ ...x.incident, atMinute: x.incident.atMinute - part.fromDay * DAY }));
    // the newsletter, the invoicing runs and the ordinary deferrals go on through every part
    if (i > 0) {
      const days = part.toDay - part.fromDay;
      const invoicing = INCIDENTS.find((x) => x.incident?.type === 'invoicing').incident;
      incidents.push({ type: 'newsletter', account: 'news@example.com', atMinute: 0, days }, { ...invoicing, days }, { type: 'stray-deferrals', atMinute: 0, days });
    }
    let text = '';
    await lib.generateLogs(
      { seed: 7 + i, start: new Date(from), hours: (part.toDay - part.fromDay) * 24, domains: DOMAINS, accounts: list, messagesPerHour: CORPUS.messagesPerHour, amavisStyle: part.amavisStyle, timestampFormat: part.timestampFormat, quirks: part.quirks ?? false, incidents },
      (target, chunk) => {
        if (target === 'mail') text += chunk;
        else policyd.push(chunk);
      },
    );
    for (const line of text.split('\n')) if (line) lines.push(line);
  }
  const timed = [];
  let last = start;
  for (const line of lines) {
    const t = lineTime(line);
    if (Number.isFinite(t)) last = t;
    timed.push([last, line]);
  }
  // syslog writes in time order; each part's generator writes the tail of its late incidents (expiries) at its end
  timed.sort((x, y) => x[0] - y[0]);
  const day1 = start + DAY * MIN;
  const rotated = timed.filter(([t]) => t < day1).map(([, l]) => l);
  mkdirSync(join(dir, 'var/log'), { recursive: true });
  const gz = join(dir, 'var/log/zimbra.log.1.gz');
  writeFileSync(gz, gzipSync(Buffer.from(`${rotated.join('\n')}\n`, 'latin1')));
  utimesSync(gz, new Date(day1), new Date(day1));
  return { start, day1, live: timed.filter(([t]) => t >= day1), bytes: lines.reduce((n, l) => n + l.length + 1, 0) };
}

function matches(finding, [type, text]) {
  return finding.type === type && (finding.subject.includes(text) || finding.account === text);
}

const startOf = (x, start) => start + (x.incident?.atMinute ?? x.at) * MIN;

/** A finding is right when it names an expected incident and began with it (from 15 min before to 12 h after its start). */
function expected(finding, start) {
  const first = Date.parse(finding.firstSeen);
  return INCIDENTS.some((x) => x.expect.some((want) => matches(finding, want)) && first >= startOf(x, start) - 15 * MIN && first <= startOf(x, start) + 12 * 60 * MIN);
}

/** Recall, precision and delay per finding type, given findings with the time each was first reported. */
function score(findings, start) {
  const rows = new Map();
  const row = (type) => rows.get(type) ?? rows.set(type, { expected: 0, found: 0, findings: 0, correct: 0, delays: [] }).get(type);
  for (const x of INCIDENTS) {
    const at = start + (x.incident?.atMinute ?? x.at) * MIN;
    for (const want of x.expect) {
      const r = row(want[0]);
      r.expected++;
      const hit = findings.filter((f) => matches(f, want) && Date.parse(f.firstSeen) >= at - 15 * MIN).sort((a, b) => a.reportedAt - b.reportedAt)[0];
      if (hit) {
        r.found++;
        r.delays.push((hit.reportedAt - at) / MIN);
      }
    }
  }
  const missed = [];
  const wrong = [];
  for (const x of INCIDENTS) for (const want of x.expect) if (!findings.some((f) => matches(f, want))) missed.push(`${x.name} (${want[0]})`);
  for (const f of findings) {
    const r = row(f.type);
    r.findings++;
    if (expected(f, start)) r.correct++;
    else wrong.push(`${f.type}: ${f.subject}`);
  }
  return { rows, missed, wrong };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs the corpus through the monitor both ways; returns the Markdown section and whether the aims were met. */
export async function detection(lib, work) {
  const dir = join(work, 'detection');
  rmSync(dir, { recursive: true, force: true });
  const { start, day1, live, bytes } = await generate(lib, dir);
  const log = join(dir, 'var/log/zimbra.log');
  writeFileSync(log, '');
  const host = new lib.RealHost(dir);
  const options = { host, domains: DOMAINS, accounts: accounts(CORPUS.accounts) };

  // cron: every 10 minutes, what was written since the last run
  const cron = [];
  let i = 0;
  let runs = 0;
  const end = live[live.length - 1][0];
  const cpu0 = process.cpuUsage();
  for (let now = day1 + INTERVAL; now <= end + INTERVAL; now += INTERVAL) {
    let chunk = '';
    while (i < live.length && live[i][0] < now) chunk += `${live[i++][1]}\n`;
    appendFileSync(log, Buffer.from(chunk, 'latin1'));
    utimesSync(log, new Date(now), new Date(now));
    const r = await lib.runMonitor({ ...options, now: new Date(now) });
    runs++;
    for (const f of r.findings) cron.push({ ...f, reportedAt: now });
  }
  const cpu = process.cpuUsage(cpu0);
  // a finding reported again a day later is the same finding: its first report counts
  const cronUnique = [...new Map(cron.toReversed().map((f) => [f.key, f])).values()];

  // triage: one scan of everything since the first live day
  const triage = (await lib.runMonitor({ ...options, since: new Date(day1), now: new Date(end) })).findings.map((f) => ({ ...f, reportedAt: Date.parse(f.firstSeen) }));

  if (process.env.BENCH_DEBUG) for (const f of cronUnique) console.error(new Date(f.reportedAt).toISOString(), f.firstSeen, f.type, f.subject, JSON.stringify(f.counts), f.reasons[0]);
  const a = score(cronUnique, start);
  const b = score(triage, start);
  const types = [...new Set([...a.rows.keys(), ...b.rows.keys()])].sort();
  const fmt = (r) => (r ? `${r.found}/${r.expected}` : '—');
  const prec = (r) => (r && r.findings ? (r.correct / r.findings).toFixed(2) : '—');
  const table = types.map((t) => {
    const x = a.rows.get(t);
    const y = b.rows.get(t);
    return `| ${t} | ${fmt(x)} | ${prec(x)} | ${x && x.delays.length ? `${median(x.delays).toFixed(0)} min (max ${Math.max(...x.delays).toFixed(0)})` : '—'} | ${fmt(y)} | ${prec(y)} |`;
  });
  const total = (s) => {
    let expected = 0, found = 0, findings = 0, correct = 0;
    const delays = [];
    for (const r of s.rows.values()) {
      expected += r.expected;
      found += r.found;
      findings += r.findings;
      correct += r.correct;
      delays.push(...r.delays);
    }
    return { expected, found, precision: findings ? correct / findings : 1, delay: median(delays) };
  };
  const ta = total(a);
  const tb = total(b);
  const met = ta.found === ta.expected && tb.found === tb.expected && ta.precision >= 0.95 && tb.precision >= 0.95 && ta.delay <= 10;
  const md = `## Detection: recall, precision and delay

A second corpus (scripts/bench-detection.mjs): ${CORPUS.days} days of a ${CORPUS.accounts}-mailbox server, ${CORPUS.messagesPerHour} ordinary messages an hour
(${(bytes / 1e6).toFixed(0)} MB), written in three formats one after the other (ZCS 8.0 amavis with FWD lines only, then 8.8 with
two amavis passes, then RFC 3339 stamps with crash quirks); its first day is already rotated to zimbra.log.1.gz when the
monitor first runs. ${INCIDENTS.filter((x) => x.expect.length).length} incidents to report and ${INCIDENTS.filter((x) => !x.expect.length).length} look-alikes that must stay quiet:

${INCIDENTS.map((x) => `- ${x.name}${x.expect.length ? '' : ' (quiet)'}`).join('\n')}

Cron: the log grows 10 minutes at a time and the monitor runs after each step with its saved state (${runs} runs, ${((cpu.user + cpu.system) / 1000 / runs).toFixed(0)} ms of CPU each on average, in one process).
Delay: from the incident's first line to the run that reported it (the aim: one interval, 10 minutes). Triage: one
\`monitor --since\` over the four live days.

| finding type | cron: found | cron: precision | cron: delay (median) | triage: found | triage: precision |
| --- | --- | --- | --- | --- | --- |
${table.join('\n')}
| **all** | **${ta.found}/${ta.expected}** | **${ta.precision.toFixed(2)}** | **${ta.delay.toFixed(0)} min** | **${tb.found}/${tb.expected}** | **${tb.precision.toFixed(2)}** |

${a.missed.length + b.missed.length ? `Missed: ${[...new Set([...a.missed.map((m) => `cron: ${m}`), ...b.missed.map((m) => `triage: ${m}`)])].join('; ')}.` : 'Every incident was reported, both ways.'}
${a.wrong.length + b.wrong.length ? `Reported but not an incident: ${[...new Set([...a.wrong.map((m) => `cron: ${m}`), ...b.wrong.map((m) => `triage: ${m}`)])].join('; ')}.` : 'No look-alike was reported.'}
Aims (every incident, precision ≥ 0.95, median delay ≤ 10 min): ${met ? 'met' : 'not met'}.
`;
  return { md, met };
}
