/** zmapachectl and the cbpolicyd daemon binary. */
import { isRunning, setApacheRunning } from '../services.js';
import type { ToolContext } from './context.js';
import { hostRef } from './zmcbpolicydctl.js';

export function zmapachectl(ctx: ToolContext): number {
  const h = hostRef(ctx);
  const running = isRunning(h, 'apache');
  switch (ctx.args[0]) {
    case 'start':
      ctx.out('Starting apache...done.\n');
      setApacheRunning(h, true);
      return 0;
    case 'reload':
    case 'graceful':
      ctx.out('Reloading apache...');
      if (!running) {
        ctx.err('httpd (no pid file) not running\n');
        ctx.out('failed.\n');
        return 1;
      }
      ctx.out('done.\n');
      return 0;
    case 'restart':
      if (running) ctx.out('Stopping apache...done.\n');
      ctx.out('Starting apache...done.\n');
      setApacheRunning(h, true);
      return 0;
    case 'stop':
      if (running) {
        ctx.out('Stopping apache...done.\n');
        setApacheRunning(h, false);
      }
      return 0;
    case 'status':
      ctx.out(running ? 'apache is running.\n' : 'apache is not running.\n');
      return running ? 0 : 1;
    default:
      ctx.out('/opt/zimbra/bin/zmapachectl start|stop|restart|reload|graceful|status\n');
      return 1;
  }
}

/** `cbpolicyd --config …`: the daemon forks into the background and its control script tracks it. */
export function cbpolicydDaemon(ctx: ToolContext): number {
  if (!ctx.args.includes('--config')) {
    ctx.err('Usage: cbpolicyd [--config=<file>] [--debug] [--fg]\n');
    return 1;
  }
  return 0;
}
