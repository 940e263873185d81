import { FINDING_KINDS } from './finding-kinds.js';
import { cleanLine, evidenceLine } from './sanitize.js';
import type { Finding, FindingType, Origin } from './types.js';

const FIRST_EVIDENCE = 3;
const LAST_EVIDENCE = 2;
const MAX_IPS = 1000;

/** A finding being built while the log is read. */
export class FindingDraft {
  first = Number.POSITIVE_INFINITY;
  last = 0;
  readonly counts: Record<string, number> = {};
  readonly reasons = new Set<string>();
  /** Reason lines that are rewritten as the finding grows (shown after `reasons`). */
  readonly notes = new Map<string, string>();
  private readonly firstLines: string[] = [];
  private lastLines: string[] = [];
  account?: string;
  origin?: Origin;
  /** Client addresses that submitted what the finding is about (the attacker's, for a firewall). */
  readonly clientIps = new Set<string>();
  /** Syslog hosts (MTAs) the finding's lines came from. */
  mtas?: string[];

  constructor(
    readonly type: FindingType,
    readonly subject: string,
  ) {}

  get key(): string {
    return `${this.type}:${this.subject}`;
  }

  /** Notes the MTA a message left from. */
  via(mta: string | undefined): void {
    if (!mta) return;
    this.mtas ??= [];
    if (this.mtas.length < 20 && !this.mtas.includes(mta)) this.mtas.push(mta);
  }

  see(t: number, line: string): void {
    if (t < this.first) this.first = t;
    if (t > this.last) this.last = t;
    if (this.firstLines.length < FIRST_EVIDENCE) this.firstLines.push(line);
    else if (!this.lastLines.includes(line)) this.lastLines = [...this.lastLines, line].slice(-LAST_EVIDENCE);
  }

  ip(address: string | undefined): void {
    // The server itself (webmail, amavis) is no attacker to block.
    if (!address || address.startsWith('127.') || address === '::1') return;
    if (this.clientIps.size < MAX_IPS) this.clientIps.add(address);
  }

  /** Times, evidence, counts and MTAs of another draft (the same events seen as another kind; its client addresses stay behind: a note names no attacker). */
  copyFrom(other: FindingDraft): void {
    this.first = other.first;
    this.last = other.last;
    this.firstLines.push(...other.firstLines);
    this.lastLines = [...other.lastLines];
    Object.assign(this.counts, other.counts);
    if (other.mtas) this.mtas = [...other.mtas];
  }

  add(name: string, n = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + n;
  }

  max(name: string, n: number): void {
    this.counts[name] = Math.max(this.counts[name] ?? 0, n);
  }

  finish(actions: string[]): Finding {
    const finding: Finding = {
      type: this.type,
      key: cleanLine(this.key, 250),
      subject: cleanLine(this.subject, 200),
      firstSeen: new Date(this.first).toISOString(),
      lastSeen: new Date(this.last).toISOString(),
      counts: { ...this.counts },
      reasons: [...this.reasons, ...this.notes.values()].map((r) => cleanLine(r, 300)),
      evidence: [...this.firstLines, ...this.lastLines].map((l) => evidenceLine(l)),
      actions,
    };
    if (this.account) finding.account = cleanLine(this.account, 200);
    if (this.origin) finding.origin = this.origin;
    if (this.clientIps.size > 0) finding.clientIps = [...this.clientIps].map((ip) => cleanLine(ip, 64));
    if (this.mtas && this.mtas.length > 0) finding.mtas = this.mtas.map((m) => cleanLine(m, 100));
    const kind = FINDING_KINDS[this.type];
    finding.severity = kind.severity;
    return finding;
  }
}
