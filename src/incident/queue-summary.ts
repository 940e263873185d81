/** The mail queue at a glance: how much is waiting, from whom, and why it is not leaving. */
import type { QueuedMail } from '../zimbra/queue-listing.js';

export interface SenderLine {
  /** '' is the null sender (bounces). */
  sender: string;
  messages: number;
  recipients: number;
  /** Messages per queue (active, deferred, hold, incoming). */
  queues: Record<string, number>;
  ours: boolean;
}

export interface QueueSummary {
  messages: number;
  bytes: number;
  byQueue: Record<string, number>;
  /** The busiest senders first (at most 50). */
  senders: SenderLine[];
  /** How many distinct senders in all. */
  senderCount: number;
  /** Messages whose sender is not one of the server's domains (forged-sender relaying leaves these). */
  foreign: { messages: number; senders: number };
  /** Messages with the null sender: bounces, often to forged senders (backscatter). */
  bounces: number;
  /** Most frequent delay reasons, by recipients. */
  reasons: { reason: string; recipients: number }[];
  /** Epoch ms of the oldest message. */
  oldest?: number;
}

const MAX_SENDERS = 50;

/** A remote reply without the host that gave it, so that the same refusal from several MX hosts counts once. */
export function reasonKey(reason: string): string {
  return reason
    .replace(/^host \S+ said: /, '')
    .replace(/^connect to \S+?(\[[^\]]*\])?(:\d+)?: /, 'connect: ')
    .replace(/ \(in reply to [^)]*\)$/, '');
}

export function summariseQueue(messages: readonly QueuedMail[], domains: readonly string[]): QueueSummary {
  const ours = (address: string) => domains.includes(address.slice(address.lastIndexOf('@') + 1));
  const bySender = new Map<string, SenderLine>();
  const byQueue: Record<string, number> = {};
  const reasons = new Map<string, number>();
  let bytes = 0;
  let oldest: number | undefined;
  for (const m of messages) {
    byQueue[m.queue] = (byQueue[m.queue] ?? 0) + 1;
    bytes += m.size;
    if (!Number.isNaN(m.arrival)) oldest = Math.min(oldest ?? m.arrival, m.arrival);
    let line = bySender.get(m.sender);
    if (!line) bySender.set(m.sender, (line = { sender: m.sender, messages: 0, recipients: 0, queues: {}, ours: m.sender !== '' && ours(m.sender) }));
    line.messages++;
    line.recipients += m.recipients.length;
    line.queues[m.queue] = (line.queues[m.queue] ?? 0) + 1;
    for (const r of m.recipients) if (r.reason) reasons.set(reasonKey(r.reason), (reasons.get(reasonKey(r.reason)) ?? 0) + 1);
  }
  const senders = [...bySender.values()].sort((a, b) => b.messages - a.messages || b.recipients - a.recipients || a.sender.localeCompare(b.sender));
  const foreign = senders.filter((s) => s.sender !== '' && !s.ours);
  return {
    messages: messages.length,
    bytes,
    byQueue,
    senders: senders.slice(0, MAX_SENDERS),
    senderCount: senders.length,
    foreign: { messages: foreign.reduce((n, s) => n + s.messages, 0), senders: foreign.length },
    bounces: bySender.get('')?.messages ?? 0,
    reasons: [...reasons].map(([reason, recipients]) => ({ reason, recipients })).sort((a, b) => b.recipients - a.recipients).slice(0, 5),
    ...(oldest !== undefined ? { oldest } : {}),
  };
}
