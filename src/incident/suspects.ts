/**
 * The monitor's findings turned into a ranked list of suspect accounts: relaying with forged
 * senders weighs most, then stolen-account signs, then quota hits; the more outside recipients,
 * the higher. Findings about no account (a client address, the queue, backscatter) are kept aside.
 */
import type { Finding, FindingType } from '../monitor/types.js';

export interface Suspect {
  /** The account to contain; undefined when the log only names a client address. */
  account?: string;
  subject: string;
  score: number;
  kinds: FindingType[];
  firstSeen: string;
  lastSeen: string;
  counts: Record<string, number>;
  reasons: string[];
  evidence: string[];
  /** What to run first. */
  action: string;
  /** Its mail still in the queue, when the queue was read. */
  queued?: { messages: number; held: number; bySender: number; byLogin: number };
}

const WEIGHT: Partial<Record<FindingType, number>> = { 'forged-sender-relay': 3, 'stolen-account': 2, 'quota-hit': 1 };
const MAX_EVIDENCE = 4;

export function rankSuspects(findings: readonly Finding[]): { suspects: Suspect[]; others: Finding[] } {
  const bySubject = new Map<string, Suspect>();
  const others: Finding[] = [];
  for (const f of findings) {
    const weight = WEIGHT[f.type];
    if (weight === undefined) {
      others.push(f);
      continue;
    }
    const subject = f.account ?? f.subject;
    let s = bySubject.get(subject);
    if (!s) {
      s = {
        ...(f.account ? { account: f.account } : {}),
        subject,
        score: 0,
        kinds: [],
        firstSeen: f.firstSeen,
        lastSeen: f.lastSeen,
        counts: {},
        reasons: [],
        evidence: [],
        action: f.account ? `zimbra-harden contain ${f.account}` : `find and block the client (${f.subject}); check the web applications allowed in mynetworks`,
      };
      bySubject.set(subject, s);
    }
    s.kinds.push(f.type);
    s.score += weight * 1_000_000 + (f.counts.outsideRecipients ?? f.counts.recipients ?? 0) + (f.counts.messages ?? 0);
    if (f.firstSeen < s.firstSeen) s.firstSeen = f.firstSeen;
    if (f.lastSeen > s.lastSeen) s.lastSeen = f.lastSeen;
    for (const [k, v] of Object.entries(f.counts)) s.counts[k] = Math.max(s.counts[k] ?? 0, v);
    for (const r of f.reasons) if (!s.reasons.includes(r)) s.reasons.push(r);
    for (const e of f.evidence) if (s.evidence.length < MAX_EVIDENCE && !s.evidence.includes(e)) s.evidence.push(e);
  }
  const suspects = [...bySubject.values()].sort((a, b) => Number(Boolean(b.account)) - Number(Boolean(a.account)) || b.score - a.score || a.subject.localeCompare(b.subject));
  return { suspects, others };
}
