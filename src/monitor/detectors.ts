import type { MonitorThresholds } from '../core/settings.js';
import { actionsFor } from './actions.js';
import type { OwnAddresses } from './addresses.js';
import { AccountDetector } from './account-detector.js';
import type { FindingDraft } from './finding-draft.js';
import { backscatterDetector, deferredDetector, QuotaDetector } from './queue-detectors.js';
import { RelayDetector } from './relay-detector.js';
import type { EventSink, Finding, OutboundMessage, QuotaHit } from './types.js';

export interface DetectorsState {
  accounts: ReturnType<AccountDetector['save']>;
  deferred: [number, number][];
  backscatter: [number, number][];
}

/** Every detector behind one event sink; events before `since` (epoch ms) are ignored. */
export class Detectors implements EventSink {
  readonly relay: RelayDetector;
  readonly accounts: AccountDetector;
  readonly deferred;
  readonly backscatterSurge;
  readonly quotas = new QuotaDetector();

  constructor(
    own: OwnAddresses,
    thresholds: MonitorThresholds,
    allowances: Record<string, number>,
    private readonly since = 0,
  ) {
    this.relay = new RelayDetector(own);
    this.accounts = new AccountDetector(own, thresholds, allowances);
    this.deferred = deferredDetector(thresholds);
    this.backscatterSurge = backscatterDetector(thresholds);
  }

  outbound(m: OutboundMessage): void {
    if (m.time < this.since) return;
    this.relay.outbound(m);
    this.accounts.outbound(m);
  }

  deferral(time: number, line: string, count: number): void {
    if (time >= this.since) this.deferred.event(time, line, count);
  }

  backscatter(time: number, target: string, line: string, count: number): void {
    if (time >= this.since) this.backscatterSurge.event(time, line, count, target);
  }

  quota(hit: QuotaHit, count: number): void {
    if (hit.time >= this.since) this.quotas.hit(hit, count);
  }

  findings(): Finding[] {
    const drafts: FindingDraft[] = [...this.relay.drafts.values(), ...this.accounts.drafts.values(), ...this.quotas.drafts.values()];
    if (this.backscatterSurge.draft) drafts.push(this.backscatterSurge.draft);
    if (this.deferred.draft) drafts.push(this.deferred.draft);
    return drafts.map((d) => d.finish(actionsFor(d.type, d.account))).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen) || a.key.localeCompare(b.key));
  }

  save(): DetectorsState {
    return { accounts: this.accounts.save(), deferred: this.deferred.window.buckets, backscatter: this.backscatterSurge.window.buckets };
  }

  load(state: DetectorsState): void {
    this.accounts.load(state.accounts);
    this.deferred.window.load(state.deferred);
    this.backscatterSurge.window.load(state.backscatter);
  }
}
