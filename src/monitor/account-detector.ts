import type { MonitorThresholds } from '../core/settings.js';
import type { OwnAddresses } from './addresses.js';
import { FindingDraft } from './finding-draft.js';
import { SlidingCount, SlidingDistinct } from './sliding.js';
import type { OutboundMessage } from './types.js';

/** Envelope senders other than the account itself, within the window, that make it suspicious. */
export const FOREIGN_SENDERS = 3;
/** "Far beyond usual": this many times the account's busiest day of the last two weeks… */
export const BASELINE_FACTOR = 10;
/** …and at least this many recipients in the window. */
export const BASELINE_MINIMUM = 50;
const HISTORY_DAYS = 14;
const MAX_ACCOUNTS = 50_000;

export interface AccountWindowState {
  recipients: [number, number][];
  outside: [string, number][];
  networks: [string, number][];
  senders: [string, number][];
}

class AccountWindow {
  readonly recipients: SlidingCount;
  readonly outside: SlidingDistinct;
  readonly networks: SlidingDistinct;
  readonly senders: SlidingDistinct;
  last = 0;
  lastNetwork = '';
  /** Client address of the previous message, whose network is lastNetwork. */
  lastIp = '';
  constructor(windowMs: number, t: MonitorThresholds, allowance: number) {
    this.recipients = new SlidingCount(windowMs);
    this.outside = new SlidingDistinct(windowMs, Math.max(t.distinctRecipients, allowance) + 1);
    this.networks = new SlidingDistinct(windowMs, t.distinctClientIps + 1);
    this.senders = new SlidingDistinct(windowMs, FOREIGN_SENDERS + 1);
  }
}

/** The network an address belongs to, as a stand-in for "another place": /16 for IPv4, /48 for IPv6. */
export function networkOf(ip: string): string {
  const sep = ip.includes(':') ? ':' : '.';
  let at = ip.indexOf(sep);
  if (sep === ':' && at >= 0) at = ip.indexOf(sep, at + 1);
  if (at >= 0) at = ip.indexOf(sep, at + 1);
  return at < 0 ? ip : ip.slice(0, at);
}

/**
 * A stolen account: one account (SMTP AUTH, or webmail where the sender is the account) sending
 * far beyond its usual volume or the threshold, to many distinct outside recipients, from many
 * networks, or with envelope senders other than itself. Accounts with a configured allowance
 * are measured against it instead of the thresholds.
 */
export class AccountDetector {
  readonly drafts = new Map<string, FindingDraft>();
  readonly windows = new Map<string, AccountWindow>();
  /** account → [day (YYYY-MM-DD), recipients] for the last two weeks. */
  readonly history = new Map<string, [string, number][]>();
  private readonly windowMs: number;
  private lastSweep = 0;

  constructor(
    private readonly own: OwnAddresses,
    private readonly t: MonitorThresholds,
    private readonly allowances: Record<string, number>,
  ) {
    this.windowMs = t.windowMinutes * 60_000;
    this.allowanceMap = new Map(Object.entries(allowances));
  }

  private readonly allowanceMap: Map<string, number>;

  private allowance(account: string): number | undefined {
    return this.allowanceMap.size === 0 ? undefined : this.allowanceMap.get(account);
  }

  outbound(m: OutboundMessage): void {
    const account = m.account;
    if (!account) return;
    const allowance = this.allowance(account);
    const scale = this.t.windowMinutes / 60;
    let w = this.windows.get(account);
    if (!w) {
      if (this.windows.size >= MAX_ACCOUNTS) this.sweep(m.time, true);
      w = new AccountWindow(this.windowMs, this.t, Math.ceil((allowance ?? 0) * scale));
      this.windows.set(account, w);
    }
    w.last = m.time;
    w.recipients.add(m.time, m.recipients.length);
    const volumeLimit = Math.ceil((allowance ?? this.t.recipientsPerHour) * scale);
    const distinctLimit = allowance === undefined ? this.t.distinctRecipients : Math.max(this.t.distinctRecipients, Math.ceil(allowance * scale));
    // Distinct outside recipients cannot pass the limit before the window holds half as many recipients:
    // tracking starts then (a finding comes at most half a limit late, and most accounts never get there).
    if (w.recipients.total * 2 > distinctLimit) for (const r of m.outside) w.outside.add(m.time, r);
    if (m.clientIp && m.origin === 'smtp-auth') {
      const net = m.clientIp === w.lastIp ? w.lastNetwork : networkOf(m.clientIp);
      if (net !== w.lastNetwork || w.networks.seen.size > 1) w.networks.add(m.time, net);
      w.lastNetwork = net;
      w.lastIp = m.clientIp;
    }
    if (m.sender !== account && !this.own.isDeclared(m.sender)) w.senders.add(m.time, m.sender);
    this.count(account, m.time, m.recipients.length);

    const reasons: string[] = [];
    const minutes = this.t.windowMinutes;
    const total = w.recipients.total;
    if (total > volumeLimit) reasons.push(`more than ${volumeLimit} recipients in ${minutes} min${allowance === undefined ? '' : ' (its configured allowance)'}`);
    const usual = allowance === undefined && total > BASELINE_MINIMUM ? this.usual(account, m.time) : undefined;
    if (usual !== undefined && total > Math.max(BASELINE_MINIMUM, BASELINE_FACTOR * usual)) {
      reasons.push(`${total} recipients in ${minutes} min, over ${BASELINE_FACTOR}× its busiest day of the last two weeks (${usual})`);
    }
    if (w.outside.seen.size > distinctLimit && w.outside.count(m.time) > distinctLimit) reasons.push(`more than ${distinctLimit} distinct outside recipients in ${minutes} min`);
    if (w.networks.seen.size > this.t.distinctClientIps && w.networks.count(m.time) > this.t.distinctClientIps) reasons.push(`logged in from more than ${this.t.distinctClientIps} networks in ${minutes} min`);
    if (w.senders.seen.size >= FOREIGN_SENDERS && w.senders.count(m.time) >= FOREIGN_SENDERS) reasons.push(`used ${FOREIGN_SENDERS} or more envelope senders other than itself`);

    let draft = this.drafts.get(account);
    if (!draft && reasons.length === 0) return this.sweep(m.time);
    if (!draft) {
      draft = new FindingDraft('stolen-account', account);
      draft.account = account;
      draft.origin = m.origin;
      this.drafts.set(account, draft);
    }
    for (const r of reasons) draft.reasons.add(r);
    draft.see(m.time, m.line);
    draft.add('messages');
    draft.add('recipients', m.recipients.length);
    draft.add('outsideRecipients', m.outside.length);
    draft.max('peakRecipientsInWindow', w.recipients.total);
    draft.max('distinctOutsideInWindow', w.outside.count(m.time));
    draft.max('networksInWindow', w.networks.count(m.time));
    draft.max('foreignSendersInWindow', w.senders.count(m.time));
    this.sweep(m.time);
  }

  /** Busiest day before today, once there are at least three days of history. */
  private usual(account: string, t: number): number | undefined {
    const days = this.history.get(account);
    const today = dayOf(t);
    const before = days?.filter(([d]) => d !== today) ?? [];
    if (before.length < 3) return undefined;
    return Math.max(...before.map(([, n]) => n));
  }

  private count(account: string, t: number, n: number): void {
    const today = dayOf(t);
    let days = this.history.get(account);
    if (!days) {
      if (this.history.size >= MAX_ACCOUNTS) return;
      days = [];
      this.history.set(account, days);
    }
    const last = days[days.length - 1];
    if (last && last[0] === today) last[1] += n;
    else {
      days.push([today, n]);
      if (days.length > HISTORY_DAYS) days.shift();
    }
  }

  /** Forgets the windows of accounts quiet for a whole window. */
  private sweep(now: number, force = false): void {
    if (!force && now - this.lastSweep < this.windowMs / 12) return;
    this.lastSweep = now;
    const quiet = now - this.windowMs;
    this.windows.forEach((w, account) => {
      if (w.last <= quiet) this.windows.delete(account);
    });
  }

  save(): { windows: [string, AccountWindowState][]; history: [string, [string, number][]][] } {
    const windows: [string, AccountWindowState][] = [...this.windows].map(([a, w]) => [
      a,
      { recipients: w.recipients.buckets, outside: [...w.outside.seen], networks: [...w.networks.seen], senders: [...w.senders.seen] },
    ]);
    // Accounts quiet for two weeks are forgotten.
    let latest = this.lastSweep;
    for (const w of this.windows.values()) if (w.last > latest) latest = w.last;
    const oldest = dayOf(latest - HISTORY_DAYS * 86_400_000);
    const history = [...this.history].filter(([, days]) => (days[days.length - 1]?.[0] ?? '') >= oldest);
    return { windows, history };
  }

  load(state: ReturnType<AccountDetector['save']>): void {
    for (const [a, s] of state.windows) {
      const w = new AccountWindow(this.windowMs, this.t, Math.ceil((this.allowance(a) ?? 0) * (this.t.windowMinutes / 60)));
      w.recipients.load(s.recipients);
      w.outside.load(s.outside);
      w.networks.load(s.networks);
      w.senders.load(s.senders);
      w.last = Math.max(0, ...s.recipients.map(([b]) => b));
      this.windows.set(a, w);
    }
    for (const [a, days] of state.history) this.history.set(a, days);
  }
}

let dayStart = 0;
let dayText = '';

/** UTC day of t (cached: consecutive events fall on the same day). */
function dayOf(t: number): string {
  if (t < dayStart || t >= dayStart + 86_400_000) {
    dayStart = t - (t % 86_400_000);
    dayText = new Date(dayStart).toISOString().slice(0, 10);
  }
  return dayText;
}
