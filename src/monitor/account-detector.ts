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
/** An account may send again what it sent in one window on an earlier day (an invoicing run), with this margin. */
export const PEAK_MARGIN = 1.5;
/**
 * One day of an account's history: the day (YYYY-MM-DD, UTC), its recipients, and the most of them in one window,
 * or REPORTED once the account was reported that day: what a stolen account sent must not become what it may send.
 */
export type HistoryDay = [day: string, recipients: number, peak?: number];
const REPORTED = -1;
/** What an account's history says before today, its reported days left out. */
interface PastDays {
  days: number;
  /** The most recipients of one day. */
  busiestDay: number;
  /** The most recipients in one window. */
  busiestWindow: number;
}
const NO_PAST: PastDays = { days: 0, busiestDay: 0, busiestWindow: 0 };

function pastDays(w: { days: HistoryDay[] | undefined }, t: number): PastDays {
  const today = dayOf(t);
  const past = { ...NO_PAST };
  for (const [d, n, peak = 0] of w.days ?? []) {
    if (d === today || peak === REPORTED) continue;
    past.days++;
    if (n > past.busiestDay) past.busiestDay = n;
    if (peak > past.busiestWindow) past.busiestWindow = peak;
  }
  return past;
}

/** Networks never seen for an account that, within NEW_NETWORK_MS, make its logins suspicious (a travelling user shows two or three). */
export const NEW_NETWORKS = 5;
const NEW_NETWORK_MS = 24 * 3600_000;
/** The networks of an account are known once its logins have been watched this long. */
const KNOWN_AFTER_MS = 12 * 3600_000;
const KNOWN_PER_ACCOUNT = 64;
/** Why an account is flagged, as bits. */
const Reason = { Volume: 1, Usual: 2, Outside: 4, Networks: 8, Senders: 16, NewNetworks: 32 } as const;

/** The networks an account logged in from, and since when its logins are watched. */
export interface KnownNetworks {
  since: number;
  /** network → last login from it. */
  nets: Map<string, number>;
  /** Networks first seen within NEW_NETWORK_MS: network → when. */
  fresh: Map<string, number>;
}
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
  /** Recipients in the window beyond which the account is flagged (its allowance, when it has one). */
  readonly volumeLimit: number;
  readonly distinctLimit: number;
  last = 0;
  lastNetwork = '';
  /** Client address of the previous message, whose network is lastNetwork. */
  lastIp = '';
  /** The account's entry in the detector's history, once it has one. */
  days: HistoryDay[] | undefined;

  constructor(
    windowMs: number,
    t: MonitorThresholds,
    readonly allowance: number | undefined,
  ) {
    const scale = t.windowMinutes / 60;
    this.recipients = new SlidingCount(windowMs);
    this.outside = new SlidingDistinct(windowMs, Math.max(t.distinctRecipients, Math.ceil((allowance ?? 0) * scale)) + 1);
    this.networks = new SlidingDistinct(windowMs, t.distinctClientIps + 1);
    this.senders = new SlidingDistinct(windowMs, FOREIGN_SENDERS + 1);
    this.volumeLimit = Math.ceil((allowance ?? t.recipientsPerHour) * scale);
    this.distinctLimit = allowance === undefined ? t.distinctRecipients : Math.max(t.distinctRecipients, Math.ceil(allowance * scale));
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
  /** account → its days (recipients, busiest window) for the last two weeks. */
  readonly history = new Map<string, HistoryDay[]>();
  /** account → the networks it logs in from (SMTP AUTH). */
  readonly known = new Map<string, KnownNetworks>();
  private readonly windowMs: number;
  private lastSweep = 0;
  /** Set while rotated logs teach what is usual: counted, never flagged. */
  learning = false;

  constructor(
    private readonly own: OwnAddresses,
    private readonly t: MonitorThresholds,
    allowances: Record<string, number>,
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
    const t = m.time;
    let w = this.windows.get(account);
    if (!w) {
      if (this.windows.size >= MAX_ACCOUNTS) this.sweep(t, true);
      w = new AccountWindow(this.windowMs, this.t, this.allowance(account));
      this.windows.set(account, w);
    }
    w.last = t;
    w.recipients.add(t, m.recipients.length);
    // Distinct outside recipients cannot pass the limit before the window holds half as many recipients:
    // tracking starts then (a finding comes at most half a limit late, and most accounts never get there).
    if (w.recipients.total * 2 > w.distinctLimit) for (const r of m.outside) w.outside.add(t, r);
    let fresh = 0;
    if (m.clientIp && m.origin === 'smtp-auth') {
      const net = m.clientIp === w.lastIp ? w.lastNetwork : networkOf(m.clientIp);
      if (net !== w.lastNetwork || !this.known.has(account)) fresh = this.newNetworks(account, net, t);
      if (net !== w.lastNetwork || w.networks.seen.size > 1) w.networks.add(t, net);
      w.lastNetwork = net;
      w.lastIp = m.clientIp;
    }
    if (m.sender !== account && !this.own.isDeclared(m.sender)) w.senders.add(t, m.sender);
    this.count(account, w, t, m.recipients.length);
    if (this.learning) {
      this.sweep(t);
      return;
    }

    const total = w.recipients.total;
    let reasons = 0;
    const over = total > w.volumeLimit;
    const overOutside = w.outside.seen.size > w.distinctLimit && w.outside.count(t) > w.distinctLimit;
    const past = w.allowance === undefined && (total > BASELINE_MINIMUM || over || overOutside) ? pastDays(w, t) : NO_PAST;
    const usual = total > BASELINE_MINIMUM && past.days >= 3 ? past.busiestDay : undefined;
    // A sender that has sent this much before is held to half its busiest day instead (a newsletter spreads its
    // day), or to what it sent in one window before, with a margin (an invoicing run sends its day in one burst).
    const heavy = past.busiestDay >= w.volumeLimit;
    const familiar = PEAK_MARGIN * past.busiestWindow;
    if (over && total > Math.max(heavy ? past.busiestDay / 2 : 0, familiar)) reasons |= Reason.Volume;
    if (usual !== undefined && total > Math.max(BASELINE_MINIMUM, BASELINE_FACTOR * usual)) reasons |= Reason.Usual;
    if (overOutside && !heavy && w.outside.count(t) > familiar) reasons |= Reason.Outside;
    if (w.networks.seen.size > this.t.distinctClientIps && w.networks.count(t) > this.t.distinctClientIps) reasons |= Reason.Networks;
    if (w.senders.seen.size >= FOREIGN_SENDERS && w.senders.count(t) >= FOREIGN_SENDERS) reasons |= Reason.Senders;
    if (fresh >= NEW_NETWORKS) reasons |= Reason.NewNetworks;
    if (reasons !== 0) this.reportedToday(w);
    if (reasons !== 0 || this.drafts.has(account)) this.flag(account, w, m, reasons, usual, fresh);
    this.sweep(t);
  }

  /** Adds the message to the account's finding (opened on its first reason). */
  /**
   * Records a login's network; returns how many networks never seen before for the account it
   * logged in from within the last NEW_NETWORK_MS (0 while its usual networks are still being learnt).
   */
  private newNetworks(account: string, net: string, t: number): number {
    let k = this.known.get(account);
    if (!k) {
      if (this.known.size >= MAX_ACCOUNTS) return 0;
      k = { since: t, nets: new Map(), fresh: new Map() };
      this.known.set(account, k);
    }
    const watched = t - k.since >= KNOWN_AFTER_MS;
    if (!k.nets.has(net)) {
      if (watched) k.fresh.set(net, t);
      if (k.nets.size >= KNOWN_PER_ACCOUNT) k.nets.delete(k.nets.keys().next().value as string);
    } else {
      k.nets.delete(net); // most recent last
    }
    k.nets.set(net, t);
    for (const [n, when] of k.fresh) if (when <= t - NEW_NETWORK_MS) k.fresh.delete(n);
    return watched ? k.fresh.size : 0;
  }

  private flag(account: string, w: AccountWindow, m: OutboundMessage, reasons: number, usual: number | undefined, fresh: number): void {
    const minutes = this.t.windowMinutes;
    let draft = this.drafts.get(account);
    if (!draft) {
      draft = new FindingDraft('stolen-account', account);
      draft.account = account;
      draft.origin = m.origin;
      this.drafts.set(account, draft);
    }
    if (reasons & Reason.Volume) draft.reasons.add(`more than ${w.volumeLimit} recipients in ${minutes} min${w.allowance === undefined ? '' : ' (its configured allowance)'}`);
    if (reasons & Reason.Usual) draft.reasons.add(`${w.recipients.total} recipients in ${minutes} min, over ${BASELINE_FACTOR}× its busiest day of the last two weeks (${usual})`);
    if (reasons & Reason.Outside) draft.reasons.add(`more than ${w.distinctLimit} distinct outside recipients in ${minutes} min`);
    if (reasons & Reason.Networks) draft.reasons.add(`logged in from more than ${this.t.distinctClientIps} networks in ${minutes} min`);
    if (reasons & Reason.Senders) draft.reasons.add(`used ${FOREIGN_SENDERS} or more envelope senders other than itself`);
    if (reasons & Reason.NewNetworks) {
      draft.reasons.add(`logged in from ${NEW_NETWORKS} or more networks never seen for this account within 24 h (networks are /16 prefixes: without a GeoIP database they stand in for countries)`);
      const nets = [...(this.known.get(account)?.fresh.keys() ?? [])];
      draft.notes.set('new-networks', `new networks: ${nets.slice(0, 30).map((n) => `${n}.0.0/16`).join(' ')}${nets.length > 30 ? ' …' : ''}`);
    }
    draft.max('newNetworks', fresh);
    draft.via(m.mta);
    draft.see(m.time, m.line);
    if (m.origin === 'smtp-auth') draft.ip(m.clientIp);
    draft.add('messages');
    draft.add('recipients', m.recipients.length);
    draft.add('outsideRecipients', m.outside.length);
    draft.max('peakRecipientsInWindow', w.recipients.total);
    draft.max('distinctOutsideInWindow', w.outside.count(m.time));
    draft.max('networksInWindow', w.networks.count(m.time));
    draft.max('foreignSendersInWindow', w.senders.count(m.time));
  }

  private count(account: string, w: AccountWindow, t: number, n: number): void {
    const today = dayOf(t);
    let days = w.days;
    if (!days) {
      days = this.history.get(account);
      if (!days) {
        if (this.history.size >= MAX_ACCOUNTS) return;
        days = [];
        this.history.set(account, days);
      }
      w.days = days;
    }
    const last = days[days.length - 1];
    if (last && last[0] === today) {
      last[1] += n;
      if (last[2] !== REPORTED && w.recipients.total > (last[2] ?? 0)) last[2] = w.recipients.total;
    } else {
      days.push([today, n, w.recipients.total]);
      if (days.length > HISTORY_DAYS) days.shift();
    }
  }

  /** Today's entry (count() has just written it) stops counting as a usual day. */
  private reportedToday(w: AccountWindow): void {
    const last = w.days?.[w.days.length - 1];
    if (last) last[2] = REPORTED;
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

  save(): { windows: [string, AccountWindowState][]; history: [string, HistoryDay[]][]; known?: [string, { since: number; nets: [string, number][]; fresh: [string, number][] }][] } {
    const windows: [string, AccountWindowState][] = [...this.windows].map(([a, w]) => [
      a,
      { recipients: w.recipients.buckets, outside: [...w.outside.seen], networks: [...w.networks.seen], senders: [...w.senders.seen] },
    ]);
    // Accounts quiet for two weeks are forgotten.
    let latest = this.lastSweep;
    for (const w of this.windows.values()) if (w.last > latest) latest = w.last;
    const oldest = dayOf(latest - HISTORY_DAYS * 86_400_000);
    const history = [...this.history].filter(([, days]) => (days[days.length - 1]?.[0] ?? '') >= oldest);
    const known = [...this.known].map(([a, k]): [string, { since: number; nets: [string, number][]; fresh: [string, number][] }] => [a, { since: k.since, nets: [...k.nets], fresh: [...k.fresh] }]);
    return { windows, history, known };
  }

  load(state: ReturnType<AccountDetector['save']>): void {
    for (const [a, s] of state.windows) {
      const w = new AccountWindow(this.windowMs, this.t, this.allowance(a));
      w.recipients.load(s.recipients);
      w.outside.load(s.outside);
      w.networks.load(s.networks);
      w.senders.load(s.senders);
      w.last = Math.max(0, ...s.recipients.map(([b]) => b));
      this.windows.set(a, w);
    }
    for (const [a, days] of state.history) this.history.set(a, days);
    for (const [a, k] of state.known ?? []) this.known.set(a, { since: k.since, nets: new Map(k.nets), fresh: new Map(k.fresh) });
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
