/** An account's messages in the queue: sent as one of its addresses, or traced in the log to its logins. */
import type { QueuedMail } from '../zimbra/queue-listing.js';
import type { AccountTrace } from './queue-attribution.js';

export interface AccountMail {
  messages: QueuedMail[];
  /** Of which: sent with one of its addresses as envelope sender. */
  bySender: number;
  /** Of which: other senders (forged, bounces) traced to its logins. */
  byLogin: number;
}

export function accountMail(queue: readonly QueuedMail[], addresses: readonly string[], trace: AccountTrace | undefined): AccountMail {
  const own = new Set(addresses.map((a) => a.toLowerCase()));
  const result: AccountMail = { messages: [], bySender: 0, byLogin: 0 };
  for (const m of queue) {
    if (m.sender !== '' && own.has(m.sender)) result.bySender++;
    else if (trace?.ids.has(m.id)) result.byLogin++;
    else continue;
    result.messages.push(m);
  }
  return result;
}

/** How far back the log must be read to trace the queue: the oldest message not already explained by its sender. */
export function traceSince(queue: readonly QueuedMail[], addresses: readonly string[], fallback: number): number {
  const own = new Set(addresses.map((a) => a.toLowerCase()));
  const times = queue.filter((m) => !own.has(m.sender) && !Number.isNaN(m.arrival)).map((m) => m.arrival);
  // An hour of margin: the login that queued a message precedes its arrival in a later queue file.
  return times.length > 0 ? Math.min(...times) - 3600_000 : fallback;
}
