/** Zimbra's apachectl: `-t [-f file]` (a real syntax check), `-v`, `-k start|stop|restart|graceful`. */
import * as fs from 'node:fs';
import { zimbraPaths } from '../../zimbra/paths.js';
import { checkApacheConfig, type ApacheVersion } from '../apache-check.js';
import { apacheVersion } from '../apache-layout.js';
import { setRunning } from '../services.js';
import type { ToolContext } from './context.js';
import { hostRef } from './zmcbpolicydctl.js';

/** A path as given: a host file (a temporary copy) when it exists, else a server path in the sandbox. */
function resolveConfig(ctx: ToolContext, file: string): string {
  if (file.startsWith(ctx.root) || (file.startsWith('/') && fs.existsSync(file) && !fs.existsSync(ctx.host(file)))) return file;
  return ctx.host(file.startsWith('/') ? file : `/opt/zimbra/data/httpd/${file}`);
}

/** Syntax check; prints what httpd prints. Returns the exit code. */
export function configTest(ctx: ToolContext, file: string, version: ApacheVersion, quietOk = false): number {
  const hostFile = resolveConfig(ctx, file);
  if (!fs.existsSync(hostFile)) {
    ctx.err(`${version === '2.4' ? 'AH00526: ' : ''}Syntax error: could not open configuration file ${file}: No such file or directory\n`);
    return 1;
  }
  const problem = checkApacheConfig(fs.readFileSync(hostFile, 'utf8'), version);
  if (problem) {
    ctx.err(`${version === '2.4' ? 'AH00526: ' : ''}Syntax error on line ${problem.line} of ${file}:\n${problem.message}\n`);
    return 1;
  }
  if (!quietOk) ctx.err('Syntax OK\n');
  return 0;
}

export function apachectl(ctx: ToolContext): number {
  const version = apacheVersion(ctx.profile);
  let file = zimbraPaths(ctx.profile).httpdConf;
  let action: string | undefined;
  const args = [...ctx.args];
  while (args.length > 0) {
    const arg = args.shift() as string;
    if (arg === '-f') file = args.shift() ?? '';
    else if (arg === '-t' || arg === 'configtest') action = 'test';
    else if (arg === '-v' || arg === '-V') action = 'version';
    else if (arg === '-k') action = args.shift();
    else if (['start', 'stop', 'restart', 'graceful', 'graceful-stop'].includes(arg)) action = arg;
    else {
      ctx.err(`Usage: apachectl [-f file] [-k start|restart|graceful|graceful-stop|stop] [-v] [-t]\n`);
      return 1;
    }
  }
  switch (action) {
    case 'test':
      return configTest(ctx, file, version);
    case 'version':
      ctx.out(`Server version: Apache/${version === '2.4' ? '2.4.62' : '2.2.31'} (Unix)\nServer built:   Jan  1 2024 00:00:00\n`);
      return 0;
    case 'start':
    case 'restart':
    case 'graceful': {
      const code = configTest(ctx, file, version, true);
      if (code === 0) setRunning(hostRef(ctx), 'apache', true);
      return code;
    }
    case 'stop':
    case 'graceful-stop':
      setRunning(hostRef(ctx), 'apache', false);
      return 0;
    default:
      ctx.err(`Usage: apachectl [-f file] [-k start|restart|graceful|graceful-stop|stop] [-v] [-t]\n`);
      return 1;
  }
}
