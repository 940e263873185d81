/** zmcbpolicydctl start|stop|kill|reload|restart|status, and libexec/zmcbpolicydinit [-force]. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cbpolicydInstalled, initPolicyDb, isRunning, policyDbPath, startCbpolicyd, stopCbpolicyd, type HostRef } from '../services.js';
import { since } from '../versions.js';
import type { ToolContext } from './context.js';

export const hostRef = (ctx: ToolContext): HostRef => ({ root: ctx.root, profile: ctx.profile, hostname: ctx.meta.hostname });

function start(ctx: ToolContext, h: HostRef, rewrite: boolean): number {
  if (since(ctx.profile, '8.7.0') && !cbpolicydInstalled(h)) {
    ctx.out('cbpolicyd not installed, skipping.\n');
    return 0;
  }
  ctx.out('Starting policyd...');
  if (isRunning(h, 'cbpolicyd')) {
    ctx.out('policyd is already running.\n');
    return 0;
  }
  const [code, out] = startCbpolicyd(h, rewrite);
  ctx.out(out);
  if (code !== 0) {
    ctx.out('Unable to initialize cbpolicyd database.\n');
    return 1;
  }
  ctx.out('done.\n');
  return 0;
}

function stop(ctx: ToolContext, h: HostRef): number {
  ctx.out('Stopping policyd...');
  if (!isRunning(h, 'cbpolicyd')) {
    ctx.out('policyd is not running.\n');
    return 0;
  }
  stopCbpolicyd(h);
  ctx.out(' done.\n');
  return 0;
}

export function zmcbpolicydctl(ctx: ToolContext): number {
  const h = hostRef(ctx);
  const rewrite = ctx.args[1] === undefined;
  switch (ctx.args[0]) {
    case 'start':
      return start(ctx, h, rewrite);
    case 'stop':
    case 'kill':
      return stop(ctx, h);
    case 'restart':
    case 'reload':
      stop(ctx, h);
      return start(ctx, h, rewrite);
    case 'status':
      if (isRunning(h, 'cbpolicyd')) {
        ctx.out('policyd is running.\n');
        return 0;
      }
      ctx.out('policyd is not running.\n');
      return 1;
    default:
      ctx.out('Usage: /opt/zimbra/bin/zmcbpolicydctl start|stop|kill|reload|restart|status\n');
      return 1;
  }
}

export function zmcbpolicydinit(ctx: ToolContext): number {
  const h = hostRef(ctx);
  let force = false;
  for (const arg of ctx.args) {
    if (['-f', '--force', '-force'].includes(arg)) force = true;
    else if (['-h', '-help', '--help', 'help'].includes(arg)) {
      ctx.out('/opt/zimbra/libexec/zmcbpolicydinit initializes the sqlite database for cbpolicyd\nUsage: /opt/zimbra/libexec/zmcbpolicydinit [-force]\n');
      return 0;
    } else {
      ctx.out(`Unknown option ${arg}\nUsage: /opt/zimbra/libexec/zmcbpolicydinit [-force]\n`);
      return 1;
    }
  }
  if (since(ctx.profile, '8.7.0') && !cbpolicydInstalled(h)) {
    ctx.out('Error: cluebringer not installed\n');
    return 1;
  }
  const dbFile = path.join(ctx.root, policyDbPath(h));
  if (!fs.existsSync(path.dirname(dbFile))) {
    // The shipped script creates the folder, then tests `$? = 0` the wrong way round and exits 1.
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    return 1;
  }
  if (fs.existsSync(dbFile)) {
    if (!force) {
      ctx.out('Must use -force to overwrite existing database.\n');
      return 1;
    }
    fs.rmSync(dbFile, { force: true });
  }
  ctx.out(initPolicyDb(h));
  return 0;
}
