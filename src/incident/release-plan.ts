/**
 * Undoing the containment once the account is safe again: unlock it and release its own held
 * mail. What was traced to its logins with other senders — the relayed spam and its bounces —
 * stays on hold unless deleted (--delete-forged): releasing it would send the spam after all.
 */
import type { Item } from '../core/types.js';
import { postsuperAction } from './postsuper-action.js';
import type { AccountObservation } from './observe-account.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function planRelease(obs: AccountObservation, options: { deleteForged: boolean }): Item[] {
  const { account, env, mail } = obs;
  const name = account.name;
  const base = { subject: name, restart: [] as Item['restart'] };
  const own = new Set(account.addresses);
  const held = mail.messages.filter((m) => m.queue === 'hold');
  const ownHeld = held.filter((m) => m.sender !== '' && own.has(m.sender));
  const forged = held.filter((m) => !ownHeld.includes(m));
  const items: Item[] = [];
  items.push(
    account.status === 'active'
      ? { ...base, control: 'unlock', status: 'ok', message: 'not locked (zimbraAccountStatus active)', actions: [] }
      : {
          ...base,
          control: 'unlock',
          status: 'change',
          message: `unlock it: zimbraAccountStatus ${account.status} → active`,
          actions: [{ kind: 'zmprov', argv: ['ma', name, 'zimbraAccountStatus', 'active'] }],
        },
  );
  items.push({ ...base, control: 'password', status: 'ok', message: `the password stays the one contain set: give it to the user, or set another (zmprov sp ${name} …)`, actions: [] });
  if (obs.queueError) {
    items.push({ ...base, control: 'held-mail', status: 'skip', severity: 'warning', message: `${obs.queueError}: release its mail by hand (postsuper -H ID)`, actions: [] });
    return items;
  }
  items.push(
    ownHeld.length === 0
      ? { ...base, control: 'held-mail', status: 'ok', message: 'none of the mail it sent as itself is on hold', actions: [] }
      : {
          ...base,
          control: 'held-mail',
          status: 'change',
          message: `release the ${plural(ownHeld.length, 'held message')} it sent as itself (back to the deferred queue, delivered at the next try)`,
          actions: [postsuperAction(env.paths, 'release', ownHeld.map((m) => m.id))],
          details: [`queue ids: ${ownHeld.map((m) => m.id).join(' ')}`],
        },
  );
  if (forged.length === 0) {
    items.push({ ...base, control: 'held-spam', status: 'ok', message: 'nothing traced to its logins with other senders is on hold', actions: [] });
  } else if (options.deleteForged) {
    items.push({
      ...base,
      control: 'held-spam',
      status: 'change',
      message: `delete the ${plural(forged.length, 'held message')} traced to its logins with other senders (the relayed spam and its bounces)`,
      actions: [postsuperAction(env.paths, 'delete', forged.map((m) => m.id))],
    });
  } else {
    items.push({
      ...base,
      control: 'held-spam',
      status: 'skip',
      severity: 'warning',
      message: `${plural(forged.length, 'held message')} traced to its logins with other senders (forged addresses, bounces) stay on hold; --delete-forged deletes them`,
      actions: [],
    });
  }
  return items;
}
