/** Puts messages in a simulated host's mail queue, for tests and the demo. */
import { randomBytes } from 'node:crypto';
import { ensureQueueDirs, findMessage, MESSAGE_QUEUES, writeMessage, type QueueName, type QueueRecipient } from './store.js';

export interface SeedMessage {
  /** Default: a fresh short Postfix queue id (11 upper-case hex digits). */
  id?: string;
  /** Default: deferred. */
  queue?: QueueName;
  /** Envelope sender; '' for a bounce. */
  sender: string;
  /** Addresses, or recipients with their own delay reason. */
  recipients: (string | QueueRecipient)[];
  /** Delay reason of the recipients given as plain addresses (deferred mail usually has one). */
  reason?: string;
  /** Default: now. */
  arrival?: Date;
  /** Bytes; default 2048. */
  size?: number;
  saslUsername?: string;
}

/** A short queue id as Postfix makes them (microseconds and inode number, in hex). */
export function newQueueId(): string {
  return randomBytes(6).toString('hex').toUpperCase().slice(0, 11);
}

/** Writes the messages into the queue directories; returns their queue ids, in order. */
export function seedQueue(root: string, messages: readonly SeedMessage[]): string[] {
  ensureQueueDirs(root);
  return messages.map((m) => {
    let id = m.id ?? newQueueId();
    while (m.id === undefined && findMessage(root, id, MESSAGE_QUEUES)) id = newQueueId();
    const recipients = m.recipients.map((r) => (typeof r === 'string' ? { address: r, ...(m.reason ? { reason: m.reason } : {}) } : r));
    writeMessage(root, {
      id,
      queue: m.queue ?? 'deferred',
      sender: m.sender,
      recipients,
      arrival: Math.floor((m.arrival ?? new Date()).getTime() / 1000),
      size: m.size ?? 2048,
      ...(m.saslUsername ? { saslUsername: m.saslUsername } : {}),
    });
    return id;
  });
}
