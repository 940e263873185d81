/**
 * The text an admin pastes into Microsoft's form or a mail to a block list: what happened, what
 * was done and when, in plain English. Only what was really done is stated.
 */
import { domainOf } from '../zimbra/names.js';

export interface RequestFacts {
  hostname: string;
  /** The server's public address; a placeholder the admin fills in when unknown. */
  ip?: string;
  account: string;
  /** Epoch ms of the first and last message sent with the stolen login, when the log showed them. */
  first?: number;
  last?: number;
  /** The queued spam carried forged senders (traced to the login rather than sent as the account). */
  forgedSenders: boolean;
  /** When containment finished. */
  at: Date;
  /** Control ids of what was applied or already in place: lock, password, sessions, forwarding, queued-mail, restart. */
  done: ReadonlySet<string>;
  queued: { count: number; deleted: boolean };
}

export const IP_PLACEHOLDER = '[the server’s public IP address]';

/** `2024-10-30 08:49 UTC`. */
export function utc(t: number | Date): string {
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function delistingRequest(f: RequestFacts): string {
  const ip = f.ip ?? IP_PLACEHOLDER;
  const when = f.first !== undefined && f.last !== undefined ? `between ${utc(f.first)} and ${utc(f.last)}` : `until ${utc(f.at)}`;
  const how = f.forgedSenders ? 'used our server to relay mail with forged sender addresses' : 'used it to send spam through our server';
  const did: string[] = [];
  if (f.done.has('lock')) did.push('locked the account, so that no one can log in with it any more;');
  if (f.done.has('password') && f.done.has('sessions')) did.push('gave it a new random password and invalidated all of its existing sessions;');
  else if (f.done.has('password')) did.push('gave it a new random password;');
  if (f.done.has('forwarding')) did.push('removed a forwarding address that had been set on it;');
  if (f.done.has('queued-mail') && f.queued.count > 0) {
    did.push(f.queued.deleted ? `deleted the ${f.queued.count} messages it still had in our queue;` : `held the ${f.queued.count} messages it still had in our queue: they will not be delivered;`);
  }
  if (f.done.has('restart')) did.push('restarted our SMTP service to cut the connections the spammer still had open.');
  const last = did.length - 1;
  if (last >= 0) did[last] = did[last]!.replace(/;$/, '.');
  return [
    `Subject: Delisting request for ${ip} (${f.hostname})`,
    '',
    'Hello,',
    '',
    `Our mail server ${f.hostname} (${ip}) sent spam ${when}. The cause was one user account, ${f.account}, whose password had been stolen: the spammer logged in with it and ${how}.`,
    '',
    `On ${utc(f.at).replace(' ', ' at ')} we:`,
    ...did.map((line) => `- ${line}`),
    '',
    `Please remove ${ip} from your block list.`,
    '',
    'Thank you,',
    `postmaster@${domainOf(f.account)}`,
    '',
  ].join('\n');
}
