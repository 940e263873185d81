import type { MonitorThresholds } from '../core/settings.js';
import { FindingDraft } from './finding-draft.js';
import { Episodes } from './episodes.js';
import type { QuotaHit } from './types.js';

/** Causes specific enough that a handful of new deferred messages is an episode worth a report. */
const SPECIFIC_CAUSE = /rate limiting|DNS lookups/;
const SPECIFIC_THRESHOLD = 10;

/** Why a delivery was deferred, from its reply: the causes an admin acts on differently. */
export function deferralCause(line: string): string {
  if (line.includes('[TSS04]') || line.includes('TSS04')) return 'Yahoo rate limiting (421 4.7.0 [TSS04])';
  if (line.includes('4.7.28')) return 'Gmail rate limiting (421-4.7.28)';
  if (line.includes('Name service error') || line.includes('Host not found, try again')) return 'DNS lookups failing (Host not found, try again)';
  if (/\b(?:421|450|451)[ -]4\.7\.\d+ .{0,80}(?:rate|too many|throttl|limit)/i.test(line)) return 'remote rate limiting (4.7.x)';
  if (line.includes('Connection timed out') || line.includes('Connection refused') || line.includes('No route to host') || line.includes('Network is unreachable')) return 'remote servers unreachable';
  return 'temporary delivery failures';
}

/** Deferred deliveries as episodes: each counts the messages deferred for the first time, retries only show it goes on. */
export function deferredEpisodes(t: MonitorThresholds): Episodes {
  return new Episodes({
    type: 'deferred-queue',
    threshold: (cause) => (SPECIFIC_CAUSE.test(cause) ? Math.min(SPECIFIC_THRESHOLD, t.deferrals) : t.deferrals),
    windowMinutes: t.windowMinutes,
    describe: (cause, n) => `${n} or more messages deferred within ${t.windowMinutes} min (${cause}): the queue is growing`,
    unit: 'deferredMessages',
  });
}

/** Bounces to a forged sender of our own relaying: never legitimate, a few make an episode. */
export const RELAY_BACKSCATTER_THRESHOLD = 3;
export const OWN_RELAY = 'caused by our own relaying';

export function backscatterEpisodes(t: MonitorThresholds): Episodes {
  return new Episodes({
    type: 'backscatter',
    threshold: (cause) => (cause.startsWith(OWN_RELAY) ? RELAY_BACKSCATTER_THRESHOLD : t.backscatterBounces),
    windowMinutes: t.windowMinutes,
    describe: (cause, n) =>
      cause.startsWith(OWN_RELAY)
        ? `bounces to addresses that only appeared as forged senders of mail relayed through this server (${n} or more within ${t.windowMinutes} min)`
        : `${n} or more bounces within ${t.windowMinutes} min to outside senders nobody here mailed (forged senders of inbound spam)`,
    unit: 'bounces',
  });
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
