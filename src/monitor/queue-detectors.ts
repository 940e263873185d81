import type { MonitorThresholds } from '../core/settings.js';
import { FindingDraft } from './finding-draft.js';
import { SlidingCount } from './sliding.js';
import type { FindingType, QuotaHit } from './types.js';

/**
 * A surge: more than `threshold` events within the window. Once it has fired, every later event
 * of the run is added to the same finding.
 */
export class SurgeDetector {
  readonly window: SlidingCount;
  draft: FindingDraft | undefined;

  constructor(
    private readonly type: FindingType,
    private readonly subject: string,
    private readonly threshold: number,
    private readonly describe: (count: number) => string,
    windowMinutes: number,
    private readonly unit: string,
  ) {
    this.window = new SlidingCount(windowMinutes * 60_000);
  }

  private readonly targets = new Set<string>();

  event(t: number, line: string, count: number, target?: string): void {
    this.window.add(t, count);
    if (!this.draft) {
      if (this.window.total <= this.threshold) return;
      this.draft = new FindingDraft(this.type, this.subject);
    }
    this.draft.reasons.add(this.describe(this.threshold));
    this.draft.see(t, line);
    this.draft.add(this.unit, count);
    this.draft.max('peakInWindow', this.window.total);
    if (target !== undefined && this.targets.size < 100_000) {
      this.targets.add(target);
      this.draft.max('distinctTargets', this.targets.size);
    }
  }
}

export function deferredDetector(t: MonitorThresholds): SurgeDetector {
  return new SurgeDetector('deferred-queue', 'deferred queue', t.deferrals, (n) => `more than ${n} deferred deliveries within ${t.windowMinutes} min: the queue is growing`, t.windowMinutes, 'deferrals');
}

export function backscatterDetector(t: MonitorThresholds): SurgeDetector {
  return new SurgeDetector(
    'backscatter',
    'bounces',
    t.backscatterBounces,
    (n) => `more than ${n} bounces within ${t.windowMinutes} min to outside senders nobody here mailed (forged senders of inbound spam)`,
    t.windowMinutes,
    'bounces',
  );
}

/** cbpolicyd `reason=quota_match`: the outbound limit was hit. Always an alarm. */
export class QuotaDetector {
  readonly drafts = new Map<string, FindingDraft>();

  hit(h: QuotaHit, count: number): void {
    let draft = this.drafts.get(h.account);
    if (!draft) {
      if (this.drafts.size >= 10_000) return;
      draft = new FindingDraft('quota-hit', h.account);
      draft.account = h.account;
      this.drafts.set(h.account, draft);
    }
    draft.reasons.add(`cbpolicyd deferred its mail: the sending limit was reached (${h.track})`);
    draft.see(h.time, h.line);
    draft.add('deferredByQuota', count);
  }
}
