/**
 * postsuper -d|-h|-H|-r ID|ALL|- [queue...] over the simulated queue, as postsuper.c does it:
 * mass operations first, then by-id operations (`-` reads ids from standard input), one stderr
 * and syslog line per message, then the totals (`postsuper: Placed on hold: 2 messages`).
 * A real server only lets root run it; the simulated host runs as whoever owns the sandbox.
 */
import * as fs from 'node:fs';
import { findMessage, isQueueId, listIds, moveMessage, removeMessage, type QueueName } from '../queue/store.js';
import { postfixAtLeast } from '../versions.js';
import type { ToolContext } from './context.js';
import { getopt } from './getopt.js';

type Op = 'delete' | 'hold' | 'release' | 'requeue';

const FLAG_OPS: Record<string, Op> = { d: 'delete', h: 'hold', H: 'release', r: 'requeue' };
/** Queues each operation looks in when no queue is named (default_queues & co in postsuper.c). */
const DEFAULT_QUEUES: Record<Op, QueueName[]> = {
  delete: ['incoming', 'active', 'deferred', 'hold'],
  requeue: ['incoming', 'active', 'deferred', 'hold'],
  hold: ['incoming', 'active', 'deferred'],
  release: ['hold'],
};
const KNOWN_DIRS = new Set(['maildrop', 'incoming', 'active', 'deferred', 'hold', 'corrupt', 'trace', 'defer', 'bounce', 'flush']);
const DONE: Record<Op, string> = { delete: 'removed', hold: 'placed on hold', release: 'released from hold', requeue: 'requeued' };
const TOTAL: Record<Op, string> = { requeue: 'Requeued', delete: 'Deleted', hold: 'Placed on hold', release: 'Released from hold' };

function usage(ctx: ToolContext): string {
  const expire = postfixAtLeast(ctx.profile, 3, 5) ? '[-e queue_id (expire)] [-f queue_id (force expire)] ' : '';
  return `postsuper: fatal: usage: postsuper [-c config_dir] [-d queue_id (delete)] ${expire}[-h queue_id (hold)] [-H queue_id (un-hold)] [-p (purge temporary files)] [-r queue_id (requeue)] [-s (structure fix)] [-S (redundant structure fix)][-v (verbose)] [queue...]\n`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** postsuper logs what it does to syslog (mail facility), which Zimbra sends to /var/log/zimbra.log. */
function syslogger(ctx: ToolContext): (text: string) => void {
  const host = ctx.meta.hostname.split('.')[0];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return (text) => {
    const d = new Date();
    const stamp = `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2)} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
    try {
      fs.appendFileSync(ctx.host('/var/log/zimbra.log'), `${stamp} ${host} postfix/postsuper[${process.pid}]: ${text}\n`);
    } catch {
      // no syslog file: stderr still says it
    }
  };
}

/** Moves or removes one message found in `queues`; false when it is in none of them. */
function operate(ctx: ToolContext, op: Op, id: string, queues: readonly QueueName[]): boolean {
  const eligible = queues.filter((q) => (op === 'release' ? q === 'hold' : op === 'hold' ? q !== 'hold' : true));
  const from = findMessage(ctx.root, id, eligible);
  if (!from) return false;
  if (op === 'delete') return removeMessage(ctx.root, from, id);
  return moveMessage(ctx.root, id, from, op === 'hold' ? 'hold' : op === 'release' ? 'deferred' : 'incoming');
}

export function postsuper(ctx: ToolContext): number {
  const parsed = getopt('postsuper', ctx.args, postfixAtLeast(ctx.profile, 3, 5) ? 'c:d:e:f:h:H:pr:sSv' : 'c:d:h:H:pr:sSv');
  if (parsed.error) {
    ctx.err(`${parsed.error}\n${usage(ctx)}`);
    return 1;
  }
  const bad = parsed.operands.find((q) => !KNOWN_DIRS.has(q));
  if (bad !== undefined) {
    ctx.err(`postsuper: fatal: invalid directory name: ${bad}\n`);
    return 1;
  }
  const named = parsed.operands.filter((q): q is QueueName => (['incoming', 'active', 'deferred', 'hold', 'corrupt'] as string[]).includes(q));
  const wanted = new Map<Op, string[]>();
  for (const { flag, value } of parsed.options) {
    const op = FLAG_OPS[flag];
    if (op) wanted.set(op, [...(wanted.get(op) ?? []), value!]);
  }
  const log = syslogger(ctx);
  const info = (text: string) => {
    ctx.err(`postsuper: ${text}\n`);
    log(text);
  };
  const counts: Record<Op, number> = { delete: 0, hold: 0, release: 0, requeue: 0 };
  const queuesFor = (op: Op) => (parsed.operands.length > 0 ? named : DEFAULT_QUEUES[op]);

  // Mass operations first (postsuper.c super()): no per-message lines.
  for (const [op, ids] of wanted) {
    if (!ids.includes('ALL')) continue;
    if (ids.some((id) => id !== 'ALL')) ctx.err(`postsuper: warning: option "-${Object.keys(FLAG_OPS).find((f) => FLAG_OPS[f] === op)} ALL" will ignore other command line queue IDs\n`);
    for (const queue of queuesFor(op)) for (const id of listIds(ctx.root, queue)) if (operate(ctx, op, id, [queue])) counts[op]++;
  }
  // Then by id, in postsuper.c's order: delete, requeue, hold, release.
  let stdin: string[] | undefined;
  for (const op of ['delete', 'requeue', 'hold', 'release'] as const) {
    const ids = wanted.get(op);
    if (!ids || ids.includes('ALL')) continue;
    for (const name of ids) {
      let list = [name];
      // `-` reads standard input up to its end: a second `-` finds nothing left.
      if (name === '-') list = stdin === undefined ? (stdin = readAll(ctx)) : [];
      for (const id of list) {
        if (!isQueueId(id)) {
          ctx.err(`postsuper: warning: invalid mail queue id: ${id}\n`);
          continue;
        }
        if (!operate(ctx, op, id, queuesFor(op))) continue;
        counts[op]++;
        info(`${id}: ${DONE[op]}`);
      }
    }
  }
  for (const op of ['requeue', 'delete', 'hold', 'release'] as const) {
    if (counts[op] > 0) info(`${TOTAL[op]}: ${counts[op]} message${counts[op] > 1 ? 's' : ''}`);
  }
  return 0;
}

/** Every line of standard input (recorded in the sandbox's call log: ids are not secret). */
function readAll(ctx: ToolContext): string[] {
  const lines: string[] = [];
  for (let line = ctx.readLine(); line !== undefined; line = ctx.readLine()) lines.push(line);
  ctx.recordedStdin = lines;
  return lines;
}
