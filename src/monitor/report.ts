import { cleanLine, headerSafe } from './sanitize.js';
import { FINDING_KINDS, FINDING_ORDER } from './finding-kinds.js';
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

export interface ReportMeta {
  hostname: string;
  bytesRead: number;
  files: string[];
  since?: Date;
}

/** Local "2024-10-30 08:49:20". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function countsByType(findings: Finding[]): [FindingType, number][] {
  return ORDER.map((t) => [t, findings.filter((f) => f.type === t).length] as [FindingType, number]).filter(([, n]) => n > 0);
}

/** Fixed-form subject: the host name and counts, never log content. */
export function reportSubject(findings: Finding[], hostname: string): string {
  const parts = countsByType(findings).map(([t, n]) => `${n} ${SHORT[t]}`);
  const host = headerSafe(hostname).replace(/[^A-Za-z0-9.-]/g, '') || 'zimbra';
  return `[zimbra-harden] ${host}: ${findings.length} new finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

function label(name: string): string {
  return name.replace(/([A-Z])/g, ' $1').toLowerCase();
}

/** Plain-text report: a short summary first, then each finding with evidence and the action to take. */
export function renderReport(findings: Finding[], meta: ReportMeta): string {
  const out: string[] = [];
  const host = cleanLine(meta.hostname, 100);
  out.push(`zimbra-harden monitor on ${host}: ${findings.length} new finding${findings.length === 1 ? '' : 's'}${meta.since ? ` since ${formatTime(meta.since.toISOString())}` : ''}`);
  out.push('');
  out.push('Summary');
  for (const f of sorted(findings)) out.push(`  - ${SHORT[f.type]}: ${cleanLine(f.subject, 120)}${f.counts.messages ? ` (${f.counts.messages} messages)` : ''}`);
  sorted(findings).forEach((f, i) => {
    out.push('');
    const origin = f.origin && ORIGINS[f.origin] ? ` (${ORIGINS[f.origin]})` : '';
    out.push(`${i + 1}. ${TITLES[f.type]}: ${cleanLine(f.subject, 120)}${origin}`);
    if (f.account && f.account !== f.subject) out.push(`   Account: ${cleanLine(f.account, 120)}`);
    out.push(`   First seen ${formatTime(f.firstSeen)}, last seen ${formatTime(f.lastSeen)}`);
    const counts = Object.entries(f.counts).map(([k, v]) => `${label(k)} ${v}`);
    if (counts.length) out.push(`   Counts: ${counts.join(', ')}`);
    for (const r of f.reasons) out.push(`   Why: ${cleanLine(r, 300)}`);
    if (f.evidence.length) {
      out.push('   Evidence:');
      for (const e of f.evidence) out.push(`     | ${cleanLine(e, 400)}`);
    }
    out.push('   Action:');
    for (const a of f.actions) out.push(`     ${cleanLine(a, 300)}`);
  });
  out.push('');
  out.push('--');
  const mb = (meta.bytesRead / 1e6).toFixed(1);
  out.push(`Read ${mb} MB${meta.files.length ? ` from ${meta.files.map((f) => cleanLine(f, 200)).join(', ')}` : ''}. Each finding is reported once a day at most.`);
  out.push('Triage: zimbra-harden monitor --since 2h --no-mail   (or --json for JSON lines)');
  return `${out.join('\n')}\n`;
}

function sorted(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type) || a.firstSeen.localeCompare(b.firstSeen));
}
