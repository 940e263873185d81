import type { MonitorThresholds } from '../core/settings.js';
import { FindingDraft } from './finding-draft.js';
import { BURST_MS, Episodes } from './episodes.js';
import type { QuotaHit } from './types.js';

/**
 * A provider's rate limiting names this server's address or volume in its reply: a few new messages
 * deferred within a quarter of an hour confirm it (every later message to it waits too).
 */
export const RATE_LIMITED_MESSAGES = 3;
/** Lookups failing for one domain are that domain's trouble; for three different domains at once, our resolver's. */
export const DNS_FAILING_DOMAINS = 3;
/** One dead server is its owner's trouble; ten different domains unreachable at once is our network's. */
export const UNREACHABLE_DOMAINS = 10;
/** Notices to this many different outside addresses nobody here mailed, within a quarter of an hour: forged senders. */
export const BACKSCATTER_BURST = 5;

/** Why a delivery was deferred, from its reply: the causes an admin acts on differently. */
export function deferralCause(line: string): string {
  if (line.includes('[TSS04]') || line.includes('TSS04')) return 'Yahoo rate limiting (421 4.7.0 [TSS04])';
  if (line.includes('4.7.28')) return 'Gmail rate limiting (421-4.7.28)';
  if (line.includes('Name service error') || line.includes('Host not found, try again')) return 'DNS lookups failing (Host not found, try again)';
  if (/\b(?:421|450|451)[ -]4\.7\.\d+ .{0,80}(?:rate|too many|throttl|limit)/i.test(line)) return 'remote rate limiting (4.7.x)';
  if (line.includes('Connection timed out') || line.includes('Connection refused') || line.includes('No route to host') || line.includes('Network is unreachable')) return 'remote servers unreachable';
  return 'temporary delivery failures';
}

/**
 * Deferred deliveries as episodes: each counts the messages deferred for the first time (and their
 * recipients' domains), retries only show it goes on. An episode is reported as soon as its cause
 * is plain: a few messages held back by a provider's rate limiting, lookups failing for several
 * domains, many domains unreachable; anything else once `deferrals` messages are deferred.
 */
export function deferredEpisodes(t: MonitorThresholds): Episodes {
  const within = `within ${t.windowMinutes} min`;
  const burst = `${BURST_MS / 60_000} min`;
  return new Episodes({
    type: 'deferred-queue',
    windowMinutes: t.windowMinutes,
    starts: (cause, w) => {
      const rateLimited = Math.min(RATE_LIMITED_MESSAGES, t.deferrals);
      if (cause.includes('rate limiting') && w.burst >= rateLimited)
        return `${rateLimited} or more messages deferred within ${burst} by the remote's rate limiting (${cause}): every message to it waits`;
      if (cause.startsWith('DNS lookups') && w.burstTargets >= DNS_FAILING_DOMAINS)
        return `messages to ${DNS_FAILING_DOMAINS} or more domains deferred within ${burst} (${cause}): the resolver is failing, every outbound message waits`;
      if (cause.startsWith('remote servers unreachable') && w.burstTargets >= UNREACHABLE_DOMAINS)
        return `messages to ${UNREACHABLE_DOMAINS} or more domains deferred within ${burst} (${cause}): this server's outbound connections are failing`;
      if (w.events >= t.deferrals) return `${t.deferrals} or more messages deferred ${within} (${cause}): the queue is growing`;
      return undefined;
    },
    unit: 'deferredMessages',
    targetUnit: 'distinctDomains',
    // a plain cause shows in a burst: deferrals a quarter of an hour apart are no start of one
    restartAfterMs: BURST_MS,
  });
}

/** Bounces to a forged sender of our own relaying: never legitimate, a few make an episode. */
export const RELAY_BACKSCATTER_THRESHOLD = 3;
export const OWN_RELAY = 'caused by our own relaying';

export function backscatterEpisodes(t: MonitorThresholds): Episodes {
  return new Episodes({
    type: 'backscatter',
    windowMinutes: t.windowMinutes,
    starts: (cause, w) => {
      const ours = cause.startsWith(OWN_RELAY);
      const n = ours ? RELAY_BACKSCATTER_THRESHOLD : t.backscatterBounces;
      if (ours && w.events >= n) return `bounces to addresses that only appeared as forged senders of mail relayed through this server (${n} or more within ${t.windowMinutes} min)`;
      if (!ours && w.events >= n) return `${n} or more bounces within ${t.windowMinutes} min to outside senders nobody here mailed (forged senders of inbound spam)`;
      if (!ours && w.burstTargets >= BACKSCATTER_BURST)
        return `bounces to ${BACKSCATTER_BURST} or more different outside senders nobody here mailed within ${BURST_MS / 60_000} min (forged senders of inbound spam)`;
      return undefined;
    },
    unit: 'bounces',
    targetUnit: 'distinctTargets',
    restartAfterMs: t.windowMinutes * 60_000,
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
