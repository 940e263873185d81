import { shellWord } from '../ui/shell-word.js';
import { runnableCommand, type CommandTarget } from '../ui/suggest.js';
import { cleanLine, headerSafe } from './sanitize.js';
import { FINDING_KINDS, FINDING_ORDER } from './finding-kinds.js';
import { byCodeUnits } from './code-unit-order.js';
import type { Finding, FindingType } from './types.js';

const TITLES = Object.fromEntries(FINDING_ORDER.map((t) => [t, FINDING_KINDS[t].title])) as Record<FindingType, string>;
const SHORT = Object.fromEntries(FINDING_ORDER.map((t) => [t, FINDING_KINDS[t].short])) as Record<FindingType, string>;
const ORDER = FINDING_ORDER;

const ORIGINS: Record<string, string> = {
  'smtp-auth': 'SMTP AUTH',
  webmail: 'webmail, no SASL',
  unauthenticated: 'unauthenticated, from mynetworks',
  unknown: 'origin unknown',
};

/** Evidence lines are cut here: a whole amavis FWD line with 50 recipients helps nobody at 3 a.m. */
export const EVIDENCE_WIDTH = 160;
const EVIDENCE_LINES = 6;

export interface ReportMeta {
  hostname: string;
  bytesRead: number;
  files: string[];
  since?: Date;
  /** Server root (`--root`); the printed commands carry it. Default "/". */
  root?: string;
  /** `--config FILE` when not the default; the printed commands carry it. */
  config?: string;
}

/** What one part of the report is about: an account (every finding about it merged), or one other finding. */
export interface ReportBlock {
  account?: string;
  findings: Finding[];
}

/** Local "2024-10-30 08:49:20". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function rank(type: string): number {
  const i = ORDER.indexOf(type as FindingType);
  return i < 0 ? ORDER.length : i;
}

function title(type: string): string {
  return TITLES[type as FindingType] ?? type;
}

function short(type: string): string {
  return SHORT[type as FindingType] ?? type;
}

/** One block per account (relaying, stolen-account and quota evidence together), then the findings about no account. */
export function reportBlocks(findings: readonly Finding[]): ReportBlock[] {
  const byAccount = new Map<string, ReportBlock>();
  const blocks: ReportBlock[] = [];
  for (const f of [...findings].sort((a, b) => rank(a.type) - rank(b.type) || byCodeUnits(a.firstSeen, b.firstSeen))) {
    const account = f.account?.toLowerCase();
    if (!account) {
      blocks.push({ findings: [f] });
      continue;
    }
    let block = byAccount.get(account);
    if (!block) {
      block = { account: f.account, findings: [] };
      byAccount.set(account, block);
      blocks.push(block);
    }
    block.findings.push(f);
  }
  return blocks.sort((a, b) => Number(!a.account) - Number(!b.account) || rank(a.findings[0]!.type) - rank(b.findings[0]!.type));
}

/** Attacker addresses of a block, each once, in order of first use. */
export function blockIps(block: ReportBlock): string[] {
  return [...new Set(block.findings.flatMap((f) => f.clientIps ?? []))];
}

function kinds(block: ReportBlock): string {
  return [...new Set(block.findings.map((f) => short(f.type)))].join(', ');
}

/** The subject: the host, then each account and what it did (header-safe), never other log text. */
export function reportSubject(findings: readonly Finding[], hostname: string): string {
  const host = headerSafe(hostname).replace(/[^A-Za-z0-9.-]/g, '') || 'zimbra';
  const parts = reportBlocks(findings).map((b) => {
    const who = b.account ? headerSafe(b.account).replace(/[^A-Za-z0-9.@_+-]+/g, '_') : '';
    return who ? `${who} (${kinds(b)})` : kinds(b);
  });
  let subject = `[zimbra-harden] ${host}:`;
  for (let i = 0; i < parts.length; i++) {
    const more = parts.length - i - 1;
    const next = `${subject}${i === 0 ? ' ' : '; '}${parts[i]}`;
    if (next.length > 150 && i > 0) return `${subject}; and ${parts.length - i} more`;
    subject = next;
    if (more === 0) break;
  }
  return subject;
}

function label(name: string): string {
  return name === 'clientIps' ? 'client IPs' : name.replace(/([A-Z])/g, ' $1').toLowerCase();
}

/** Counts of the same messages that a later finding of the block would give again, smaller (it started counting later). */
const MESSAGE_COUNTS = new Set(['messages', 'recipients', 'outsideRecipients']);

/**
 * The counts of a block, once each: the first finding (relaying before stolen account) gives the
 * message counts, later ones add only what they measure on their own. The client address count
 * is the IP list's length instead.
 */
export function blockCounts(block: ReportBlock): [string, number][] {
  const counts = new Map<string, number>();
  block.findings.forEach((f, i) => {
    for (const [k, v] of Object.entries(f.counts)) {
      if (k === 'clientIps' || counts.has(k) || (i > 0 && MESSAGE_COUNTS.has(k) && counts.has('messages'))) continue;
      counts.set(k, v);
    }
  });
  const ips = blockIps(block).length;
  if (ips > 0) counts.set('clientIps', ips);
  return [...counts];
}

function countText(counts: [string, number][]): string {
  return counts.map(([k, v]) => `${label(k)} ${v}`).join(', ');
}

/**
 * A suggested action, made to work when pasted: `zimbra-harden …` becomes `sudo zimbra-harden
 * [--root DIR] …` with its values quoted; the comment after `#` stays.
 */
export function runnableAction(action: string, target: CommandTarget, account?: string): string {
  const hash = action.search(/\s#\s/);
  const command = hash < 0 ? action : action.slice(0, hash).trimEnd();
  const comment = hash < 0 ? '' : `   ${action.slice(hash).trim()}`;
  const at = command.search(/(^|\s)zimbra-harden\s/);
  if (at < 0) return action;
  const start = command.indexOf('zimbra-harden', at);
  const prefix = command.slice(0, start);
  const rest = command.slice(start + 'zimbra-harden'.length).trim();
  // The account is one word even if the log gave it spaces; the action may carry it shell-quoted already.
  const written = account === undefined ? undefined : [shellWord(account), account].find((w) => rest.includes(w));
  const split = written ? rest.split(written) : [rest];
  const args = split.flatMap((part, i) => [...(i > 0 ? [account!] : []), ...part.split(/\s+/).filter(Boolean)]);
  return `${prefix}${runnableCommand(target, args)}${comment}`;
}

function targetOf(meta: ReportMeta): CommandTarget {
  return { root: meta.root ?? '/', config: meta.config };
}

/** One line per block, no log text: for the summary, syslog and chat. Its numbers are the block's own. */
export function summaryLine(block: ReportBlock): string {
  const who = cleanLine(block.account ?? block.findings[0]!.subject, 120);
  const counts = blockCounts(block);
  const headline = counts.filter(([k]) => MESSAGE_COUNTS.has(k) || k === 'clientIps');
  const main = headline.some(([k]) => k === 'messages') ? headline : counts;
  return `${who} — ${kinds(block)}${main.length ? `: ${countText(main)}` : ''}`;
}

/**
 * The suspicious lines only: once relaying with forged senders is shown, the stolen-account
 * finding's lines (the same messages, or the account's ordinary mail of the same hour) add nothing.
 */
export function blockEvidence(block: ReportBlock): string[] {
  const relaying = block.findings.some((f) => f.type === 'forged-sender-relay');
  const lines = block.findings.filter((f) => !(relaying && f.type === 'stolen-account')).flatMap((f) => f.evidence);
  return [...new Set(lines)].slice(0, EVIDENCE_LINES);
}

function heading(findings: readonly Finding[], blocks: readonly ReportBlock[]): string {
  const accounts = blocks.filter((b) => b.account).length;
  const others = blocks.length - accounts;
  const parts = [];
  if (accounts) parts.push(`${accounts} account${accounts === 1 ? '' : 's'} to act on`);
  if (others) parts.push(`${others} other finding${others === 1 ? '' : 's'}`);
  return `${parts.join(', ')} (${findings.length} finding${findings.length === 1 ? '' : 's'} in all)`;
}

/** Plain-text report: a summary first, then one block per account (or other finding) with its evidence and the commands to run. */
export function renderReport(findings: readonly Finding[], meta: ReportMeta): string {
  const out: string[] = [];
  const target = targetOf(meta);
  const blocks = reportBlocks(findings);
  const host = cleanLine(meta.hostname, 100);
  out.push(`zimbra-harden monitor on ${host}: ${heading(findings, blocks)}${meta.since ? ` since ${formatTime(meta.since.toISOString())}` : ''}`);
  out.push('');
  out.push('Summary');
  for (const b of blocks) out.push(`  - ${summaryLine(b)}`);
  blocks.forEach((b, i) => {
    out.push('');
    const first = b.findings[0]!;
    const origins = [...new Set(b.findings.map((f) => (f.origin ? ORIGINS[f.origin] : undefined)).filter(Boolean))];
    const what = [...new Set(b.findings.map((f) => title(f.type)))].join(', ');
    out.push(`${i + 1}. ${cleanLine(b.account ?? first.subject, 120)}: ${what}${origins.length ? ` (${origins.join('; ')})` : ''}`);
    if (!b.account && first.account && first.account !== first.subject) out.push(`   Account: ${cleanLine(first.account, 120)}`);
    const firstSeen = b.findings.map((f) => f.firstSeen).sort()[0]!;
    const lastSeen = b.findings.map((f) => f.lastSeen).sort().at(-1)!;
    out.push(`   First seen ${formatTime(firstSeen)}, last seen ${formatTime(lastSeen)}`);
    const counts = blockCounts(b);
    if (counts.length) out.push(`   Counts: ${countText(counts)}`);
    for (const r of new Set(b.findings.flatMap((f) => f.reasons))) out.push(`   Why: ${cleanLine(r, 300)}`);
    const ips = blockIps(b);
    if (ips.length) {
      out.push(`   Client IPs (${ips.length}), one per line for a firewall:`);
      for (const ip of ips) out.push(`     ${cleanLine(ip, 64)}`);
    }
    const evidence = blockEvidence(b);
    if (evidence.length) {
      out.push('   Evidence:');
      for (const e of evidence) out.push(`     | ${cleanLine(e, EVIDENCE_WIDTH)}`);
    }
    out.push('   Action:');
    for (const a of new Set(b.findings.flatMap((f) => f.actions))) out.push(`     ${runnableAction(cleanLine(a, 300), target, b.account)}`);
  });
  out.push('');
  out.push('--');
  const mb = (meta.bytesRead / 1e6).toFixed(1);
  out.push(`Read ${mb} MB${meta.files.length ? ` from ${meta.files.map((f) => cleanLine(f, 200)).join(', ')}` : ''}. Each finding is reported once a day at most.`);
  out.push(`Triage: ${runnableCommand(target, ['monitor', '--since', '2h'])}   (or --json for JSON lines)`);
  return `${out.join('\n')}\n`;
}
