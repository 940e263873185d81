import type { OwnAddresses } from './addresses.js';
import type { AmavisRecord } from './amavis-lines.js';
import { AgingMap, RecentSet } from './bounded-map.js';
import { QueueIdTable } from './queue-id-table.js';
import type { EventSink, Origin } from './types.js';

/** How long after its last amavis line a message is considered complete (log time). */
export const SETTLE_MS = 120_000;
const MEMORY_MS = 30 * 60_000;
const MAX_NAMES = 50_000;

interface Pending {
  t: number;
  sender: string;
  recipients: string[];
  queueId?: string;
  queuedAs: string[];
  passed: boolean;
  originating: boolean;
  mynets: boolean;
  clientIp?: string;
  line: string;
  fwdLine: boolean;
  mta: string;
}

/** A SASL login: when, which account, from which client address. */
interface Login {
  t: number;
  account: string;
  ip: string;
}

export interface AssemblerState {
  sawPassed: boolean;
  needsHopLinks: boolean;
  auth: [string, Login][];
  origOf: [string, { t: number; orig: string }][];
  outputs: [string, number][];
  done: [string, { t: number; queuedAs: string[] }][];
  pending: [string, Pending][];
}

/**
 * Joins what Postfix and amavis log about one message: the SMTP AUTH login (by queue id),
 * the content-filter hop (old queue id → re-injected queue id) and amavis's FWD/Passed lines
 * (by amavis log id, so several lines or passes of one message count once).
 */
export class MessageAssembler {
  /** SASL logins by queue id (at least the last 20,000): the account and the client address. */
  readonly auth = new QueueIdTable(20_000);
  readonly origOf = new AgingMap<{ t: number; orig: string }>(MEMORY_MS, 50_000);
  /** Queue ids amavis re-injected lately (at least the last 4,096): a message with one of them passes amavis a second time. */
  private readonly outputs = new QueueIdTable(4096);
  private readonly pending = new AgingMap<Pending>(MEMORY_MS, 20_000);
  /** amavis ids already completed: a late line of the same pass adds nothing. */
  private readonly done = new AgingMap<{ t: number; queuedAs: string[] }>(MEMORY_MS, 50_000);
  /** Outside addresses our users mailed: a bounce to them is not backscatter. */
  readonly mailed = new RecentSet(50_000);

  constructor(
    private readonly own: OwnAddresses,
    private readonly sink: EventSink,
  ) {}

  /** Host of the amavis line being completed. */
  private mta = '';

  /** A Passed line was seen: FWD lines need not be parsed (Passed repeats what they say). */
  sawPassed = false;
  /** No Passed line with Queue-ID yet: old amavis, the content-filter hop must link the queue ids. */
  needsHopLinks = true;

  login(qid: string, t: number, account: string, ip: string): void {
    this.auth.set(qid, t, this.accountName(account), ip);
  }

  /**
   * One string object per account name: the detectors look every message's account up in several
   * maps, which then match it by identity instead of comparing its characters each time.
   */
  private readonly names = new Map<string, string>();

  private accountName(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    if (this.names.size >= MAX_NAMES) this.names.clear();
    this.names.set(name, name);
    return name;
  }

  link(newQid: string, origQid: string, t: number): void {
    if (newQid !== origQid) this.origOf.set(newQid, { t, orig: origQid });
  }

  amavis(record: AmavisRecord, t: number, line: string, mta = ''): void {
    this.mta = mta;
    if (record.kind === 'passed' && record.queueId && (this.pending.size === 0 || !this.pending.has(record.id))) {
      // The usual case: one Passed line says it all.
      this.sawPassed = true;
      this.needsHopLinks = false;
      return this.complete(t, record.sender, record.recipients, record.queueId, record.queuedAs, true, record.originating ?? false, record.clientIp, line);
    }
    const finished = this.done.get(record.id);
    if (finished) {
      // The same id again: a late line of a counted pass, or a new child that got the same pid.
      if (record.queuedAs.some((q) => finished.queuedAs.includes(q))) return;
      this.done.delete(record.id);
    }
    let p = this.pending.get(record.id);
    if (!p) {
      p = { t, sender: record.sender, recipients: [], queuedAs: [], passed: false, originating: false, mynets: false, line, fwdLine: false, mta };
      this.pending.set(record.id, p);
    }
    p.t = t;
    if (!p.sender) p.sender = record.sender;
    for (const r of record.recipients) if (!p.recipients.includes(r)) p.recipients.push(r);
    for (const q of record.queuedAs) if (!p.queuedAs.includes(q)) p.queuedAs.push(q);
    if (record.queueId) p.queueId = record.queueId;
    if (record.kind === 'passed') {
      this.sawPassed = true;
      if (record.queueId) this.needsHopLinks = false;
      p.passed = true;
      p.originating = record.originating ?? false;
      p.mynets = record.mynets ?? false;
      if (record.clientIp) p.clientIp = record.clientIp;
      if (!p.fwdLine) p.line = line;
      // Passed is the last line of a pass: the message is complete (old amavis: once the hop links its queue id).
      if (record.queueId) {
        this.pending.delete(record.id);
        this.finish(record.id, p);
      }
    } else if (!p.fwdLine) {
      p.line = line;
      p.fwdLine = true;
    }
  }

  /**
   * Completes messages that have been quiet for SETTLE_MS (all of them with `all`). At the end of
   * a run (`atEnd`) also those already joined to their queue id; the others wait for the next run.
   */
  settle(now: number, all = false, atEnd = false): void {
    for (const [id, p] of this.pending.map) {
      const ready = all || p.t <= now - SETTLE_MS || (atEnd && (p.queueId !== undefined || p.queuedAs.some((q) => this.origOf.has(q))));
      if (!ready) {
        if (atEnd) continue;
        break;
      }
      this.pending.delete(id);
      this.finish(id, p);
    }
    if (!all) {
      this.origOf.expire(now);
      this.done.expire(now);
    }
  }

  private finish(id: string, p: Pending): void {
    this.done.set(id, { t: p.t, queuedAs: p.queuedAs });
    this.mta = p.mta ?? '';
    this.complete(p.t, p.sender, p.recipients, p.queueId, p.queuedAs, p.passed, p.originating, p.clientIp, p.line);
  }

  /** One message amavis has passed on (`passed`: a Passed line was seen, else FWD lines only). */
  private complete(t: number, sender: string, recipients: string[], queueId: string | undefined, queuedAs: string[], passed: boolean, originating: boolean, clientIp: string | undefined, line: string): void {
    let orig = queueId;
    if (!orig) for (const q of queuedAs) orig ??= this.origOf.get(q)?.orig;
    if (passed && !originating) return; // inbound from outside: never relaying
    const secondPass = orig !== undefined && this.outputs.has(orig);
    for (const q of queuedAs) this.outputs.set(q, t);
    if (secondPass || sender === '' || recipients.length === 0) return;
    const login = orig !== undefined && this.auth.get(orig);
    let origin: Origin;
    let account: string | undefined;
    if (login) {
      origin = 'smtp-auth';
      account = this.auth.found.first;
    } else if (passed && originating) {
      // mynetworks without SASL: mailboxd (webmail, where Zimbra forces the envelope sender to the account) or a local script.
      origin = this.own.isAccount(sender) ? 'webmail' : 'unauthenticated';
      if (origin === 'webmail') account = this.accountName(sender);
    } else if (passed) {
      return; // inbound from outside: never relaying
    } else {
      origin = 'unknown';
    }
    const outside: string[] = [];
    for (const r of recipients) if (!this.own.isOurs(r)) outside.push(r);
    if (origin !== 'unknown' || this.own.isOurs(sender)) for (const r of outside) this.mailed.add(r);
    this.sink.outbound({ time: t, sender, recipients, outside, account, origin, clientIp: (login ? this.auth.found.second : undefined) ?? clientIp, line, mta: this.mta || undefined });
  }

  /** What the next run needs: the joins of the last MEMORY_MS of log time before `now`. */
  save(now: number): AssemblerState {
    const recent = now - MEMORY_MS;
    return {
      sawPassed: this.sawPassed,
      needsHopLinks: this.needsHopLinks,
      auth: this.auth.entries(recent).map(([qid, v]): [string, Login] => [qid, { t: v.t, account: v.first!, ip: v.second! }]),
      origOf: this.origOf.entries(),
      outputs: this.outputs.entries(recent).map(([qid, v]): [string, number] => [qid, v.t]),
      done: this.done.entries(),
      pending: this.pending.entries(),
    };
  }

  load(state: AssemblerState): void {
    this.sawPassed = state.sawPassed;
    this.needsHopLinks = state.needsHopLinks;
    for (const [qid, v] of state.auth) this.auth.set(qid, v.t, this.accountName(v.account), v.ip);
    this.origOf.load(state.origOf);
    for (const [qid, t] of state.outputs) this.outputs.set(qid, t);
    this.done.load(state.done);
    this.pending.load(state.pending);
  }
}
