/**
 * The simulated Postfix mail queue: a real directory tree under Zimbra's queue_directory
 * (`/opt/zimbra/data/postfix/spool/{incoming,active,deferred,hold,corrupt}`), one file per message.
 * Like Postfix, `deferred` is hashed one level deep by the first character of the queue id
 * (hash_queue_names = deferred, defer; hash_queue_depth = 1) and ready files have mode 0700.
 * Real queue files are binary records with the delay reasons in a separate `defer/` logfile;
 * here each file is JSON holding the envelope and the reasons.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const QUEUE_DIRECTORY = '/opt/zimbra/data/postfix/spool';

/** Message queues in the order showq lists them (corrupt is never listed). */
export const LISTED_QUEUES = ['active', 'incoming', 'deferred', 'hold'] as const;
export const MESSAGE_QUEUES = [...LISTED_QUEUES, 'corrupt'] as const;
export type QueueName = (typeof MESSAGE_QUEUES)[number];

const HASHED = new Set<QueueName>(['deferred']);
/** Mode of a queue file that is ready for delivery (MAIL_QUEUE_STAT_READY). */
const READY_MODE = 0o700;

export interface QueueRecipient {
  address: string;
  /** Why delivery to this recipient was delayed (the defer logfile's text), if it was. */
  reason?: string;
}

/** One queue file's content. */
export interface QueueEntry {
  /** Envelope sender; '' is the null sender (bounces). */
  sender: string;
  recipients: QueueRecipient[];
  /** Arrival time, seconds since the epoch. */
  arrival: number;
  /** Message size in bytes (the content, as `message_size` records it). */
  size: number;
  /** Postfix 3.5+: marked for expiry by `postsuper -e`/`-f`. */
  forcedExpire?: boolean;
  /** The SASL login that submitted it (what `postcat` shows as `sasl_username`). */
  saslUsername?: string;
}

export interface QueuedMessage extends QueueEntry {
  id: string;
  queue: QueueName;
}

/** Postfix's mail_queue_id_ok(): letters, digits and underscore, 1 to 255 characters. */
export function isQueueId(id: string): boolean {
  return /^[A-Za-z0-9_]{1,255}$/.test(id);
}

function queueDir(root: string, queue: QueueName): string {
  return path.join(root, QUEUE_DIRECTORY, queue);
}

/** Host path of the file of `id` in `queue`. */
export function queueFilePath(root: string, queue: QueueName, id: string): string {
  return HASHED.has(queue) ? path.join(queueDir(root, queue), id.charAt(0), id) : path.join(queueDir(root, queue), id);
}

/** Creates the queue directories (postfix's own layout, mode 0700). */
export function ensureQueueDirs(root: string): void {
  for (const queue of MESSAGE_QUEUES) fs.mkdirSync(queueDir(root, queue), { recursive: true, mode: 0o700 });
}

function readEntry(file: string): QueueEntry | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as QueueEntry;
  } catch {
    return undefined;
  }
}

/** Queue ids in a queue, in directory-name order (showq lists them as the directory scan finds them). */
export function listIds(root: string, queue: QueueName): string[] {
  const dir = queueDir(root, queue);
  const names = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).sort() : []);
  if (!HASHED.has(queue)) return names(dir).filter(isQueueId);
  return names(dir).flatMap((sub) => names(path.join(dir, sub)).filter(isQueueId));
}

export function readMessage(root: string, queue: QueueName, id: string): QueuedMessage | undefined {
  const entry = readEntry(queueFilePath(root, queue, id));
  return entry ? { ...entry, id, queue } : undefined;
}

/** Every readable message of the given queues, in showq order. */
export function listMessages(root: string, queues: readonly QueueName[] = LISTED_QUEUES): QueuedMessage[] {
  return queues.flatMap((queue) => listIds(root, queue).flatMap((id) => readMessage(root, queue, id) ?? []));
}

/** The queue currently holding `id`, searched in `queues`. */
export function findMessage(root: string, id: string, queues: readonly QueueName[]): QueueName | undefined {
  return queues.find((queue) => fs.existsSync(queueFilePath(root, queue, id)));
}

export function writeMessage(root: string, message: QueuedMessage): void {
  const file = queueFilePath(root, message.queue, message.id);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const { id: _id, queue: _queue, ...entry } = message;
  fs.writeFileSync(file, `${JSON.stringify(entry)}\n`, { mode: READY_MODE });
  fs.chmodSync(file, READY_MODE);
}

/** Renames a message file into another queue (what postsuper -h/-H does); false when it is not there. */
export function moveMessage(root: string, id: string, from: QueueName, to: QueueName): boolean {
  const source = queueFilePath(root, from, id);
  const target = queueFilePath(root, to, id);
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  try {
    fs.renameSync(source, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export function removeMessage(root: string, queue: QueueName, id: string): boolean {
  try {
    fs.unlinkSync(queueFilePath(root, queue, id));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
