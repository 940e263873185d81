/** zmmtactl start|stop|restart|reload|status: Postfix (and saslauthd), rewriting the `mta` zmconfigd sections. */
import { isRunning, rewriteConfig, setRunning, type HostRef } from '../services.js';
import type { ToolContext } from './context.js';
import { hostRef } from './zmcbpolicydctl.js';

/** What `configrewrite antispam antivirus opendkim mta sasl` changes in the simulated files. */
function rewrite(ctx: ToolContext, h: HostRef): void {
  ctx.out('Rewriting configuration files...');
  rewriteConfig(h, ['mta']);
  ctx.out('done.\n');
}

/** /opt/zimbra/bin/postfix start|stop|reload; returns its exit code. */
export function postfixCommand(ctx: ToolContext, h: HostRef, action: 'start' | 'stop' | 'reload'): number {
  const running = isRunning(h, 'mta');
  if (action === 'start') {
    if (running) {
      ctx.err('postfix/postfix-script: fatal: the Postfix mail system is already running\n');
      return 1;
    }
    ctx.err('postfix/postfix-script: starting the Postfix mail system\n');
    setRunning(h, 'mta', true);
    return 0;
  }
  if (!running) {
    ctx.err('postfix/postfix-script: fatal: the Postfix mail system is not running\n');
    return 1;
  }
  if (action === 'stop') {
    ctx.err('postfix/postfix-script: stopping the Postfix mail system\n');
    setRunning(h, 'mta', false);
  } else {
    ctx.err('postfix/postfix-script: refreshing the Postfix mail system\n');
  }
  return 0;
}

export function zmmtactl(ctx: ToolContext): number {
  const h = hostRef(ctx);
  const norewrite = ctx.args[1] !== undefined;
  switch (ctx.args[0]) {
    case 'start': {
      if (!norewrite) rewrite(ctx, h);
      if (postfixCommand(ctx, h, 'start') !== 0) {
        ctx.out('postfix failed to start\n');
        return 1;
      }
      return 0;
    }
    case 'stop':
      postfixCommand(ctx, h, 'stop');
      return 0;
    case 'reload':
    case 'restart':
      if (!norewrite) rewrite(ctx, h);
      postfixCommand(ctx, h, 'reload');
      return 0;
    case 'status':
      if (!isRunning(h, 'mta')) {
        ctx.out('postfix is not running\n');
        return 1;
      }
      return 0;
    default:
      ctx.out('/opt/zimbra/bin/zmmtactl start|stop|restart|reload|status\n');
      return 1;
  }
}
