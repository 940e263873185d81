import type { MonitorThresholds } from '../core/settings.js';
import { actionsFor } from './actions.js';
import type { OwnAddresses } from './addresses.js';
import { AccountDetector } from './account-detector.js';
import { AgingMap } from './bounded-map.js';
import type { EpisodeState } from './episodes.js';
import type { FindingDraft } from './finding-draft.js';
import { backscatterEpisodes, deferredEpisodes, OWN_RELAY, QuotaDetector } from './queue-detectors.js';
import { RelayDetector } from './relay-detector.js';
import { byCodeUnits } from './code-unit-order.js';
import type { EventSink, Finding, OutboundMessage, QuotaHit } from './types.js';

/** Deferred mail stays queued up to five days (maximal_queue_lifetime): its retries are not new. */
const QUEUE_LIFETIME_MS = 6 * 86_400_000;
/** Forged senders are remembered as long: the expiry wave comes five days after the relaying. */
const FORGED_MEMORY_MS = 6 * 86_400_000;

export interface DetectorsState {
  accounts: ReturnType<AccountDetector['save']>;
  deferred: EpisodeState[];
  backscatter: EpisodeState[];
  deferredIds?: [string, { t: number }][];
  forged?: [string, { t: number }][];
}

/** The domain of a delivery line's `to=<…>`, lower-cased. */
function recipientDomain(line: string): string | undefined {
  const to = line.indexOf(' to=<');
  const end = to < 0 ? -1 : line.indexOf('>', to);
  const at = end < 0 ? -1 : line.lastIndexOf('@', end);
  return at > to ? line.slice(at + 1, end).toLowerCase() : undefined;
}

/** Every detector behind one event sink; events before `since` (epoch ms) are learnt from, never reported. */
export class Detectors implements EventSink {
  readonly relay: RelayDetector;
  readonly accounts: AccountDetector;
  readonly deferred;
  readonly backscatterEpisodes;
  readonly quotas = new QuotaDetector();
  /** Queue ids already deferred once: their retries are not new queue growth. */
  private readonly deferredIds = new AgingMap<{ t: number }>(QUEUE_LIFETIME_MS, 30_000);
  /** Outside envelope senders of mail relayed through the server that are not the account's own. */
  readonly forged = new AgingMap<{ t: number }>(FORGED_MEMORY_MS, 50_000);
  /**
   * While true (rotated logs read before the first run's live file), events teach the detectors
   * what is usual, seen before and mailed before, but open no finding.
   */
  learning = false;

  constructor(
    private readonly own: OwnAddresses,
    thresholds: MonitorThresholds,
    allowances: Record<string, number>,
    private readonly since = 0,
  ) {
    this.relay = new RelayDetector(own, this.forged);
    this.accounts = new AccountDetector(own, thresholds, allowances);
    this.deferred = deferredEpisodes(thresholds);
    this.backscatterEpisodes = backscatterEpisodes(thresholds);
  }

  /** Before `since` (a triage reading whole files), events only teach what is usual. */
  private learns(t: number): boolean {
    return this.learning || t < this.since;
  }

  outbound(m: OutboundMessage): void {
    const learning = this.learns(m.time);
    this.relay.learning = learning;
    this.accounts.learning = learning;
    this.relay.outbound(m);
    this.accounts.outbound(m);
  }

  deferral(time: number, line: string, count: number, cause: string, queueId: string, mta: string): void {
    const again = this.deferredIds.has(queueId);
    this.deferredIds.set(queueId, { t: time });
    if (this.learns(time)) return;
    if (again) this.deferred.again(time, cause, line);
    else this.deferred.event(time, cause, line, count > 1 ? 1 : count, mta, recipientDomain(line));
  }

  backscatter(time: number, target: string, line: string, count: number, cause: string, mta: string): void {
    if (this.learns(time)) return;
    const ours = this.forged.has(target);
    this.backscatterEpisodes.event(time, ours ? `${OWN_RELAY}: ${cause}` : cause, line, count, mta, target);
  }

  quota(hit: QuotaHit, count: number): void {
    if (!this.learns(hit.time)) this.quotas.hit(hit, count);
  }

  queueDeleted(time: number, line: string): void {
    this.deferredIds.map.clear();
    if (!this.learns(time)) this.deferred.endAll(time, line);
  }

  findings(): Finding[] {
    const drafts: FindingDraft[] = [...this.relay.finalDrafts(), ...this.accounts.drafts.values(), ...this.quotas.drafts.values(), ...this.backscatterEpisodes.drafts, ...this.deferred.drafts];
    // A command names only an account that exists (log text may say anything, e.g. `x|reboot|y@our.domain`).
    return drafts.map((d) => d.finish(actionsFor(d.type, d.account !== undefined && this.own.isAccount(d.account) ? d.account : undefined))).sort((a, b) => byCodeUnits(a.firstSeen, b.firstSeen) || byCodeUnits(a.key, b.key));
  }

  save(): DetectorsState {
    return {
      accounts: this.accounts.save(),
      deferred: this.deferred.save(),
      backscatter: this.backscatterEpisodes.save(),
      deferredIds: this.deferredIds.entries(),
      forged: this.forged.entries(),
    };
  }

  load(state: DetectorsState): void {
    this.accounts.load(state.accounts);
    if (Array.isArray(state.deferred) && state.deferred.every((e) => typeof e === 'object' && !Array.isArray(e))) this.deferred.load(state.deferred);
    if (Array.isArray(state.backscatter) && state.backscatter.every((e) => typeof e === 'object' && !Array.isArray(e))) this.backscatterEpisodes.load(state.backscatter);
    this.deferredIds.load(state.deferredIds ?? []);
    this.forged.load(state.forged ?? []);
  }
}
