/**
 * postqueue -p | -j | -f | -i ID | -s SITE over the simulated queue (postqueue.c): `-j` exists
 * from Postfix 3.1 on (ZCS 8.7+ ships 3.x, older releases 2.x); usage errors exit 64 (EX_USAGE).
 */
import { formatJson, formatMailq } from '../queue/showq.js';
import { isQueueId, listMessages } from '../queue/store.js';
import { isRunning } from '../services.js';
import { postfixAtLeast } from '../versions.js';
import type { ToolContext } from './context.js';
import { getopt } from './getopt.js';
import { hostRef } from './zmcbpolicydctl.js';

const EX_USAGE = 64;

export function postqueue(ctx: ToolContext): number {
  const json = postfixAtLeast(ctx.profile, 3, 1);
  const usage = `postqueue: fatal: usage: postqueue -f | postqueue -i queueid | ${json ? 'postqueue -j | ' : ''}postqueue -p | postqueue -s site\n`;
  const parsed = getopt('postqueue', ctx.args, json ? 'c:fi:jps:v' : 'c:fi:ps:v');
  if (parsed.error) {
    ctx.err(`${parsed.error}\n${usage}`);
    return EX_USAGE;
  }
  let mode: string | undefined;
  let value: string | undefined;
  for (const option of parsed.options) {
    if (option.flag === 'c' || option.flag === 'v') continue;
    if (mode !== undefined) {
      ctx.err(usage);
      return EX_USAGE;
    }
    mode = option.flag;
    value = option.value;
  }
  if (mode === undefined || parsed.operands.length > 0) {
    ctx.err(usage);
    return EX_USAGE;
  }
  switch (mode) {
    case 'p':
    case 'j': {
      // Run by root while Postfix is stopped, postqueue runs showq itself.
      if (!isRunning(hostRef(ctx), 'mta')) ctx.err('postqueue: warning: Mail system is down -- accessing queue directly\n');
      const options = { reasonUnavailable: postfixAtLeast(ctx.profile, 3, 0), forcedExpire: postfixAtLeast(ctx.profile, 3, 5) };
      const messages = listMessages(ctx.root);
      ctx.out(mode === 'p' ? formatMailq(messages, options) : formatJson(messages, options));
      return 0;
    }
    case 'i':
      if (!isQueueId(value ?? '')) {
        ctx.err(`postqueue: fatal: Cannot flush queue ID - invalid name: "${(value ?? '').slice(0, 100)}"\n`);
        return EX_USAGE;
      }
      return 0;
    default:
      // -f / -s: a flush request; the simulated host delivers nothing.
      return 0;
  }
}
