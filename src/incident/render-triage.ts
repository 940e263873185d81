/** Prints a triage for a human in a hurry (most important first), or as JSON lines. */
import chalk from 'chalk';
import { formatTime } from '../monitor/report.js';
import { sanitize, type Output } from '../ui/output.js';
import { blocklistFor, fill, MICROSOFT_DELISTING } from './blocklists.js';
import type { Suspect } from './suspects.js';
import type { Triage } from './triage.js';
import { actionFromText, findingJson } from '../monitor/finding-json.js';

const KIND: Record<string, string> = { 'forged-sender-relay': 'relaying with forged senders', 'stolen-account': 'stolen-account signs', 'quota-hit': 'hit its sending limit' };
const MAX_SENDERS = 8;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
const EVIDENCE_WIDTH = 220;
const cut = (line: string) => (line.length > EVIDENCE_WIDTH ? `${line.slice(0, EVIDENCE_WIDTH - 1)}…` : line);

function countsLine(s: Suspect): string {
  const c = s.counts;
  const parts = [
    c.messages !== undefined ? plural(c.messages, 'message') : '',
    c.outsideRecipients !== undefined ? `to ${plural(c.outsideRecipients, 'outside recipient')}` : '',
    c.forgedSenders ? `${plural(c.forgedSenders, 'forged sender')}` : '',
    c.clientIps ? `from ${plural(c.clientIps, 'client address')}` : '',
  ].filter(Boolean);
  return `${parts.join(', ')}${parts.length ? '; ' : ''}${formatTime(s.firstSeen)} → ${formatTime(s.lastSeen)}`;
}

function queuedLine(q: NonNullable<Suspect['queued']>): string {
  if (q.messages === 0) return 'nothing of it is queued';
  const how = [q.byLogin ? `${q.byLogin} traced to its logins` : '', q.bySender ? `${q.bySender} sent as itself` : ''].filter(Boolean).join(', ');
  return `queued: ${plural(q.messages, 'message')} (${how}), ${q.held} on hold`;
}

function suspects(out: Output, t: Triage): void {
  out.line(chalk.bold(t.suspects.length ? 'Suspects, most likely first' : 'Suspects: none in the mail log over this window'));
  t.suspects.forEach((s, i) => {
    out.line(`${String(i + 1).padStart(2)}. ${chalk.bold(sanitize(s.subject))} — ${s.kinds.map((k) => KIND[k] ?? k).join(', ')}`);
    out.line(`    ${sanitize(countsLine(s))}`);
    for (const r of s.reasons) out.line(chalk.gray(`    why: ${sanitize(r)}`));
    for (const e of s.evidence) out.line(chalk.gray(`    | ${cut(sanitize(e))}`));
    if (s.queued) out.line(`    ${queuedLine(s.queued)}`);
    out.line(`    ${chalk.cyan('→')} ${sanitize(s.action)}`);
  });
  out.line();
}

function queue(out: Output, t: Triage): void {
  if (t.queueError) {
    out.line(`${chalk.bold('Mail queue:')} ${chalk.red(sanitize(t.queueError))}`);
    out.line();
    return;
  }
  const q = t.queue!;
  const per = Object.entries(q.byQueue).map(([name, n]) => `${name} ${n}`).join(', ');
  out.line(`${chalk.bold('Mail queue:')} ${q.messages === 0 ? 'empty' : `${plural(q.messages, 'message')} (${Math.ceil(q.bytes / 1024)} KB): ${per}`} ${chalk.gray(`(postqueue -${q.format === 'json' ? 'j' : 'p'})`)}`);
  if (q.foreign.messages) out.line(`  ${plural(q.foreign.messages, 'message')} from ${plural(q.foreign.senders, 'sender')} outside your domains (relaying with forged senders leaves these)`);
  if (q.bounces) out.line(`  ${plural(q.bounces, 'bounce')} (MAILER-DAEMON), often to forged senders: backscatter`);
  if (q.senders.length) out.line('  by sender:');
  for (const s of q.senders.slice(0, MAX_SENDERS)) {
    const where = Object.entries(s.queues).map(([name, n]) => `${name} ${n}`).join(', ');
    out.line(`    ${sanitize(s.sender || 'MAILER-DAEMON').padEnd(32)} ${plural(s.messages, 'message')}, ${plural(s.recipients, 'recipient')} (${where})`);
  }
  if (q.senderCount > MAX_SENDERS) out.line(chalk.gray(`    … ${q.senderCount - MAX_SENDERS} more senders`));
  if (q.reasons.length) out.line('  why it is not leaving:');
  for (const r of q.reasons) out.line(`    ${String(r.recipients).padStart(4)}× ${sanitize(r.reason)}`);
  out.line();
}

const STATUS = { listed: chalk.red('LISTED    '), 'not-listed': chalk.green('not listed'), unknown: chalk.yellow('unknown   ') };

function blocklists(out: Output, t: Triage): void {
  if (!t.address) {
    out.line(`${chalk.bold('Block lists:')} not checked (--no-blocklists)`);
    out.line();
    return;
  }
  if (!t.address.ip) {
    out.line(`${chalk.bold('Block lists:')} ${chalk.yellow(`not checked: ${t.address.source}`)}`);
    out.line();
    return;
  }
  out.line(`${chalk.bold(`Block lists for ${t.address.ip}`)} ${chalk.gray(`(${t.address.source})`)}`);
  for (const r of t.listings) {
    const answer = r.answers.length ? chalk.gray(` [${r.answers.join(', ')}]`) : '';
    out.line(`  ${STATUS[r.status]}  ${r.name} (${r.zone})${r.status === 'not-listed' ? '' : `: ${sanitize(r.detail)}`}${answer}`);
    if (r.txt) out.line(chalk.gray(`              ${sanitize(r.txt)}`));
  }
  out.line();
  out.line(chalk.bold('Delisting checklist'));
  for (const r of t.listings.filter((l) => l.status === 'listed')) {
    out.line(`  ${r.name}:`);
    for (const step of blocklistFor(r.zone).delisting) out.line(`    - ${fill(step, t.address.ip)}`);
  }
  out.line('  Microsoft:');
  for (const step of MICROSOFT_DELISTING) out.line(`    - ${step}`);
  out.line();
}

export function renderTriage(out: Output, t: Triage): void {
  out.event('triage', { hostname: t.hostname, zimbraVersion: t.zimbraVersion, since: t.since.toISOString(), until: t.until.toISOString(), logFiles: t.logFiles });
  t.suspects.forEach((s, i) => out.event('suspect', { rank: i + 1, severity: 'warning', ...s, action: actionFromText(s.action) }));
  for (const finding of t.others) out.event('finding', findingJson(finding));
  if (t.queue) out.event('queue', { ...t.queue });
  if (t.queueError) out.event('queue_error', { message: t.queueError });
  if (t.address) out.event('address', { ...t.address });
  for (const r of t.listings) out.event('blocklist', { ip: t.address?.ip, ...r });
  if (t.address?.ip) {
    for (const r of t.listings.filter((l) => l.status === 'listed')) out.event('delisting', { list: r.name, zone: r.zone, steps: blocklistFor(r.zone).delisting.map((s) => fill(s, t.address!.ip!)) });
    out.event('delisting', { list: 'Microsoft', steps: MICROSOFT_DELISTING });
  }
  for (const w of t.warnings) out.error(w);
  if (out.json) return;

  out.line(chalk.bold(`Incident triage on ${sanitize(t.hostname)} (ZCS ${t.zimbraVersion}), ${formatTime(t.since.toISOString())} → ${formatTime(t.until.toISOString())}`));
  out.line(chalk.gray('Read only: nothing was changed.'));
  out.line();
  suspects(out, t);
  queue(out, t);
  blocklists(out, t);
  if (t.others.length) {
    out.line(chalk.bold('Other findings'));
    for (const f of t.others) out.line(`  ${f.type}: ${sanitize(f.subject)} — ${sanitize(f.reasons[0] ?? '')}`);
    out.line();
  }
  const first = t.suspects.find((s) => s.account);
  if (first) out.line(`${chalk.bold('Next:')} ${first.action}   ${chalk.gray('(lock it, new password, end its sessions, hold its queued mail, restart the MTA)')}`);
}
