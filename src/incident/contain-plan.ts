/**
 * The containment plan, as plain data for the apply engine: lock, new password, end sessions,
 * forwarding, the queued mail, then an MTA restart to cut SMTP sessions already logged in.
 * The zmprov writes of all items go to one zmprov process; the password is never in the plan.
 */
import { RESTART, restartAction } from '../core/restart.js';
import type { Item } from '../core/types.js';
import { postsuperAction } from './postsuper-action.js';
import { formatTime } from '../monitor/report.js';
import type { AccountObservation } from './observe-account.js';

/** Stands for the new password in the plan; replaced only in zmprov's standard input. */
export const PASSWORD_PLACEHOLDER = '********';

export interface ContainOptions {
  removeForwarding: boolean;
  deleteQueued: boolean;
  /** Where the password goes: a file, or the terminal once. */
  passwordFile?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Where each queued message came from, for the plan's details. */
export function provenance(obs: AccountObservation): string[] {
  const { mail, trace, account } = obs;
  const lines: string[] = [];
  if (mail.byLogin) lines.push(`${plural(mail.byLogin, 'message')} traced in the mail log to its logins (other senders: forged addresses, bounces of its spam)`);
  if (mail.bySender) lines.push(`${plural(mail.bySender, 'message')} sent as ${account.name} or one of its aliases`);
  const time = (t: number) => formatTime(new Date(t).toISOString());
  if (trace.forged && trace.forgedFirst !== undefined) {
    lines.push(`the log shows ${plural(trace.forged, 'message')} sent with its login under other senders' addresses, ${time(trace.forgedFirst)} → ${time(trace.forgedLast!)}`);
  } else if (trace.logins && trace.first !== undefined) {
    lines.push(`the log shows ${plural(trace.logins, 'message')} sent with its login, ${time(trace.first)} → ${time(trace.last!)}, all as itself`);
  }
  return lines;
}

export function planContain(obs: AccountObservation, options: ContainOptions): Item[] {
  const { account, env } = obs;
  const name = account.name;
  const base = { subject: name, restart: [] as Item['restart'] };
  const items: Item[] = [];

  items.push(
    account.status === 'locked'
      ? { ...base, control: 'lock', status: 'ok', message: 'already locked (zimbraAccountStatus locked)', actions: [] }
      : {
          ...base,
          control: 'lock',
          status: 'change',
          message: `lock it: zimbraAccountStatus ${account.status} → locked (no login of any kind; mail to it is still delivered)`,
          actions: [{ kind: 'zmprov', argv: ['ma', name, 'zimbraAccountStatus', 'locked'] }],
        },
  );
  items.push({
    ...base,
    control: 'password',
    status: 'change',
    message: `set a new random password (${options.passwordFile ? `written to ${options.passwordFile}, mode 0600` : 'shown once at the end'}; never logged)`,
    actions: [{ kind: 'zmprov', argv: ['sp', name, PASSWORD_PLACEHOLDER] }],
  });
  items.push({
    ...base,
    control: 'sessions',
    status: 'change',
    message: `end its sessions: zimbraAuthTokenValidityValue ${account.tokenValidity} → ${account.tokenValidity + 1} invalidates every token issued so far`,
    actions: [{ kind: 'zmprov', argv: ['ma', name, 'zimbraAuthTokenValidityValue', String(account.tokenValidity + 1)] }],
  });
  items.push(forwardingItem(obs, options));
  items.push(queueItem(obs, options));
  items.push({
    control: RESTART,
    subject: env.hostname,
    status: 'change',
    message: 'restart the MTA: ends SMTP sessions already logged in with the stolen password (locking alone does not)',
    actions: [restartAction(env.paths.zmmtactl)],
    restart: ['mta'],
  });
  return items;
}

function forwardingItem(obs: AccountObservation, options: ContainOptions): Item {
  const { account } = obs;
  const base = { control: 'forwarding', subject: account.name, restart: [] as Item['restart'] };
  const details: string[] = [];
  if (account.adminForwarding.length) details.push(`also forwarded by an admin setting (zimbraMailForwardingAddress): ${account.adminForwarding.join(', ')}; left alone`);
  if (account.forwarding.length === 0) return { ...base, status: 'ok', message: 'no forwarding address set by the user (zimbraPrefMailForwardingAddress)', actions: [], details };
  const to = account.forwarding.join(', ');
  if (account.localDeliveryDisabled) details.push('and keeps no copy in the mailbox (zimbraPrefMailLocalDeliveryDisabled TRUE)');
  if (!options.removeForwarding) {
    return { ...base, status: 'skip', severity: 'warning', message: `forwards its mail to ${to} — set by the user, or by whoever had the password; remove it with --remove-forwarding`, actions: [], details };
  }
  const argv = ['ma', account.name, 'zimbraPrefMailForwardingAddress', ''];
  if (account.localDeliveryDisabled) argv.push('zimbraPrefMailLocalDeliveryDisabled', 'FALSE');
  return { ...base, status: 'change', message: `remove the forwarding to ${to} (--remove-forwarding)`, actions: [{ kind: 'zmprov', argv }], details };
}

function queueItem(obs: AccountObservation, options: ContainOptions): Item {
  const { mail, env, account, queue } = obs;
  const base = { control: 'queued-mail', subject: account.name, restart: [] as Item['restart'] };
  if (obs.queueError) {
    return { ...base, status: 'skip', severity: 'warning', message: `${obs.queueError}: hold its mail by hand once the queue can be read (postqueue -p, postsuper -h ID)`, actions: [] };
  }
  if (mail.messages.length === 0) {
    return { ...base, status: 'ok', message: `nothing of it is queued (${plural(queue.messages.length, 'message')} in the queue, none sent as it or traced to its logins)`, actions: [], details: provenance(obs) };
  }
  const ids = options.deleteQueued ? mail.messages.map((m) => m.id) : mail.messages.filter((m) => m.queue !== 'hold').map((m) => m.id);
  const details = [...provenance(obs), `queue ids: ${mail.messages.slice(0, 6).map((m) => m.id).join(' ')}${mail.messages.length > 6 ? ' …' : ''}`];
  if (ids.length === 0) return { ...base, status: 'ok', message: `its ${plural(mail.messages.length, 'queued message')} are already on hold`, actions: [], details };
  const verb = options.deleteQueued ? 'delete' : 'hold';
  return {
    ...base,
    status: 'change',
    message: options.deleteQueued
      ? `delete its ${plural(ids.length, 'queued message')} (--delete-queued: gone for good)`
      : `hold its ${plural(ids.length, 'queued message')}: nothing more leaves; release or delete them later`,
    actions: [postsuperAction(env.paths, verb, ids)],
    details,
  };
}
