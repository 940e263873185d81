/**
 * Reading Postfix's queue on a Zimbra server: `postqueue -j` where Postfix has it
 * (3.1+, ZCS 8.7+), else `postqueue -p` (any user may list the queue: root or zimbra, as we run).
 */
import { UserError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { ZimbraPaths } from './paths.js';
import { parseQueueJson, parseQueueText, type QueuedMail } from './queue-listing.js';

export interface QueueListing {
  messages: QueuedMail[];
  /** Which listing was read: JSON (Postfix 3.1+) or the mailq text. */
  format: 'json' | 'text';
}

const EX_USAGE = 64;

/** Lists the queue: one `postqueue -j`, or on Postfix 2.x (exit 64, invalid option) one more `postqueue -p`. */
export async function readQueue(host: Host, paths: Pick<ZimbraPaths, 'postqueue'>): Promise<QueueListing> {
  const json = await host.exec(paths.postqueue, ['-j'], { timeoutMs: 120_000 });
  if (json.failedToStart) throw new UserError(`cannot run ${paths.postqueue}: ${json.stderr.trim().split('\n')[0]}`);
  if (json.exitCode === 0) return { messages: parseQueueJson(json.stdout), format: 'json' };
  if (json.exitCode !== EX_USAGE) throw queueError(paths.postqueue, '-j', json.exitCode, json.stderr);
  const text = await host.exec(paths.postqueue, ['-p'], { timeoutMs: 120_000 });
  if (text.exitCode !== 0) throw queueError(paths.postqueue, '-p', text.exitCode, text.stderr);
  return { messages: parseQueueText(text.stdout), format: 'text' };
}

function queueError(command: string, flag: string, code: number, stderr: string): UserError {
  const said = stderr.trim().split('\n').filter((l) => !l.includes('warning:')).at(-1) ?? '';
  return new UserError(`cannot list the mail queue: \`${command.split('/').pop()} ${flag}\` exited ${code}${said ? `: ${said}` : ''}`);
}
