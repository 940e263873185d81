/** zmcontrol [-v] [-h] [-H host] start|startup|stop|shutdown|restart|status. */
import { enabledServices, isRunning, rewriteConfig, setApacheRunning, setRunning, startCbpolicyd, stopCbpolicyd, type HostRef } from '../services.js';
import { readServicesSync } from '../state.js';
import { since } from '../versions.js';
import type { ToolContext } from './context.js';
import { hostRef } from './zmcbpolicydctl.js';

const START_ORDER = [
  'ldap',
  'zmconfigd',
  'dnscache',
  'logger',
  'convertd',
  'mailbox',
  'memcached',
  'proxy',
  'imapproxy',
  'amavis',
  'antispam',
  'antivirus',
  'opendkim',
  'cbpolicyd',
  'snmp',
  'spell',
  'mta',
  'stats',
  'service',
  'zimbra',
  'zimbraAdmin',
  'zimlet',
];
const WEBAPPS = ['service', 'zimbra', 'zimbraAdmin', 'zimlet'];

const COMMANDS: [string, string][] = [
  ['restart', 'Restart services'],
  ['shutdown', 'Stop services'],
  ['start', 'Start services'],
  ['startup', 'Start services'],
  ['status', 'Display service status'],
  ['stop', 'Stop services'],
];

/** Name zmcontrol shows for a zimbraServiceEnabled value; undefined when it has no line of its own. */
function displayName(ctx: ToolContext, service: string): string | undefined {
  if (!WEBAPPS.includes(service)) return service;
  return since(ctx.profile, '8.5.0') ? `${service} webapp` : undefined;
}

function controlled(ctx: ToolContext, h: HostRef): string[] {
  const list = enabledServices(h).filter((s) => displayName(ctx, s) !== undefined);
  return [...new Set([...list, 'zmconfigd'])];
}

const order = (s: string) => {
  const i = START_ORDER.indexOf(s);
  return i < 0 ? START_ORDER.length : i;
};

function statusLine(service: string): string {
  if (service === 'cbpolicyd') return 'policyd is not running.';
  if (service === 'mta') return 'postfix is not running';
  return `${service} is not running.`;
}

function status(ctx: ToolContext, h: HostRef): number {
  const services = enabledServices(h);
  if (services.length === 0) {
    ctx.out('Cannot determine services - exiting\n');
    return 1;
  }
  const running = readServicesSync(h.root);
  const rows = controlled(ctx, h).map((s) => ({ service: s, name: displayName(ctx, s) as string }));
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let code = 0;
  ctx.out(`Host ${h.hostname}\n`);
  for (const { service, name } of rows) {
    const up = running[service] === true;
    ctx.out(`\t${name.padEnd(20)} ${(up ? 'Running' : 'Stopped').padStart(10)}\n`);
    if (!up) {
      ctx.out(`\t\t${statusLine(service)}\n`);
      if (!/logger|spell|snmp/.test(service)) code = 1;
    }
  }
  return code;
}

function startAll(ctx: ToolContext, h: HostRef): number {
  ctx.out(`Host ${h.hostname}\n`);
  const services = controlled(ctx, h).sort((a, b) => order(a) - order(b));
  if (services.includes('mta') || services.includes('zmconfigd')) rewriteConfig(h, ['mta', 'cbpolicyd']);
  for (const service of services) {
    if (service === 'ldap' && isRunning(h, 'ldap')) continue;
    ctx.out(`\tStarting ${displayName(ctx, service)}...`);
    if (service === 'cbpolicyd') {
      if (!isRunning(h, 'cbpolicyd')) startCbpolicyd(h, false);
    } else {
      setRunning(h, service, true);
      if (service === 'spell') setApacheRunning(h, true);
    }
    ctx.out('Done.\n');
  }
  return 0;
}

function stopAll(ctx: ToolContext, h: HostRef): number {
  ctx.out(`Host ${h.hostname}\n`);
  const services = controlled(ctx, h).sort((a, b) => order(b) - order(a));
  for (const service of services) {
    ctx.out(`\tStopping ${displayName(ctx, service)}...`);
    if (service === 'cbpolicyd') stopCbpolicyd(h);
    else {
      setRunning(h, service, false);
      if (service === 'spell') setApacheRunning(h, false);
    }
    ctx.out('Done.\n');
  }
  return 0;
}

function usage(ctx: ToolContext): number {
  ctx.out('/opt/zimbra/bin/zmcontrol [-v -h -H <host>] command [args]\n\n');
  ctx.out('\t-v:\tdisplay version\n\t-h:\tprint usage statement\n\t-H:\tHost name (localhost)\n\n\tCommand in:\n');
  for (const [name, desc] of COMMANDS) ctx.out(`\t\t${name.padEnd(20)}${desc.padStart(30)}\n`);
  ctx.out('\n');
  return 1;
}

export function zmcontrol(ctx: ToolContext): number {
  const h = hostRef(ctx);
  const args = [...ctx.args];
  let command: string | undefined;
  while (args.length > 0) {
    const arg = args.shift() as string;
    if (arg === '-v') {
      ctx.out(`${ctx.profile.release}\n`);
      return 0;
    }
    if (arg === '-h') return usage(ctx);
    if (arg === '-H') {
      args.shift();
      continue;
    }
    if (arg.startsWith('-')) return usage(ctx);
    command = arg;
    break;
  }
  switch (command) {
    case 'status':
      return status(ctx, h);
    case 'start':
    case 'startup':
      return startAll(ctx, h);
    case 'stop':
    case 'shutdown':
      return stopAll(ctx, h);
    case 'restart':
      stopAll(ctx, h);
      return startAll(ctx, h);
    default:
      return usage(ctx);
  }
}
