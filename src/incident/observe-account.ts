/**
 * Everything contain and release decide from, read without changing anything: the server, the
 * account (one zmprov batch), the mail queue, and the account's logins in the mail log (which tie
 * forged-sender spam and its bounces in the queue to it).
 */
import { detectServer } from '../core/detect.js';
import type { ServerEnv } from '../core/types.js';
import { isAccountName } from '../zimbra/names.js';
import { UsageError } from '../errors.js';
import type { Host } from '../host/host.js';
import { readQueue, type QueueListing } from '../zimbra/mail-queue.js';
import { accountMail, traceSince, type AccountMail } from './account-mail.js';
import { readAccount, type AccountState } from './account-state.js';
import { traceAccountMail, type AccountTrace } from './queue-attribution.js';

export interface AccountObservation {
  env: ServerEnv;
  account: AccountState;
  queue: QueueListing;
  /** Why the queue could not be read (then it is treated as empty and the plan says so). */
  queueError?: string;
  /** The account's messages in the queue. */
  mail: AccountMail;
  trace: AccountTrace;
}

/** At least the last day of logins is read, for the delisting request's "when". */
const MIN_TRACE_MS = 24 * 3600_000;

export async function observeAccount(host: Host, name: string, now = Date.now()): Promise<AccountObservation> {
  if (!isAccountName(name)) throw new UsageError(`${JSON.stringify(name)} is not an account name (user@domain)`);
  const env = await detectServer(host);
  const account = await readAccount(host, env.paths.zmprov, name);
  // A queue that cannot be read must not stop the lock: the plan says so and the rest applies.
  let queue: QueueListing = { messages: [], format: 'text' };
  let queueError: string | undefined;
  try {
    queue = await readQueue(host, env.paths);
  } catch (error) {
    queueError = error instanceof Error ? error.message : String(error);
  }
  const since = Math.min(now - MIN_TRACE_MS, traceSince(queue.messages, account.addresses, now));
  const trace = await traceAccountMail(host, env.paths.mailLog, account.name, account.addresses, since);
  return { env, account, queue, ...(queueError ? { queueError } : {}), mail: accountMail(queue.messages, account.addresses, trace), trace };
}
