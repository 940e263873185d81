/** Zimbra's apachectl: `-t [-f file]` (a real syntax check), `-v`, `-k start|stop|restart|graceful`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zimbraPaths } from '../../../zimbra/paths.js';
import { checkApacheConfig, type ApacheVersion, type CheckError, type IncludeCheck } from '../apache-check.js';
import { apacheVersion } from '../apache-layout.js';
import { setRunning } from '../services.js';
import { mayReach, mayRead } from '../run-as.js';
import type { ToolContext } from './context.js';
import { hostRef } from './zmcbpolicydctl.js';

/** A path as given: a host file (a temporary copy) when it exists, else a server path in the sandbox. */
function resolveConfig(ctx: ToolContext, file: string): string {
  if (file.startsWith(ctx.root) || (file.startsWith('/') && fs.existsSync(file) && !fs.existsSync(ctx.host(file)))) return file;
  return ctx.host(file.startsWith('/') ? file : `/opt/zimbra/data/httpd/${file}`);
}

function wildcard(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

/**
 * Include as httpd follows it: a file, a folder's files, or a wildcard in the last part (sorted); paths
 * relative to ServerRoot. What the user may not read is an error even for IncludeOptional, but a file
 * behind a folder it cannot search is, to httpd, one that does not exist.
 */
function includeCheck(ctx: ToolContext, version: ApacheVersion, depth = 0): IncludeCheck {
  return (pattern, optional, serverRoot) => {
    const file = pattern.startsWith('/') ? pattern : `${serverRoot ?? '/opt/zimbra/data/httpd'}/${pattern}`;
    const dir = path.posix.dirname(file);
    const last = path.posix.basename(file);
    const fail = (message: string): CheckError | undefined => (optional ? undefined : { line: 0, message, oneLine: true });
    const denied = (message: string): CheckError => ({ line: 0, message: `${message}: Permission denied`, oneLine: true });
    let files: string[];
    if (/[*?[]/.test(last)) {
      if (!fs.existsSync(ctx.host(dir))) return fail(`Include/IncludeOptional: Could not open directory ${dir}: No such file or directory`);
      if (!mayRead(ctx, ctx.host(dir), 'folder')) return denied(`Include/IncludeOptional: Could not open directory ${dir}`);
      files = fs.readdirSync(ctx.host(dir)).filter((n) => wildcard(last).test(n)).sort().map((n) => `${dir}/${n}`);
      if (files.length === 0) return fail(`Include/IncludeOptional: No matches for the wildcard '${last}' in '${dir}', failing`);
    } else if (!fs.existsSync(ctx.host(file))) {
      return fail(`Could not open configuration file ${file}: No such file or directory`);
    } else if (!mayReach(ctx, ctx.host(file))) {
      return optional ? undefined : denied(`Could not open configuration file ${file}`);
    } else if (fs.statSync(ctx.host(file)).isDirectory()) {
      if (!mayRead(ctx, ctx.host(file), 'folder')) return denied(`Include/IncludeOptional: Could not open directory ${file}`);
      files = fs.readdirSync(ctx.host(file)).sort().map((n) => `${file}/${n}`);
    } else {
      files = [file];
    }
    if (depth > 8) return { line: 0, message: `Exceeded the maximum include directory nesting level`, oneLine: true };
    for (const included of files.filter((f) => fs.statSync(ctx.host(f)).isFile())) {
      if (!mayRead(ctx, ctx.host(included))) return denied(`Could not open configuration file ${included}`);
      const error = checkApacheConfig(fs.readFileSync(ctx.host(included), 'utf8'), version, { include: includeCheck(ctx, version, depth + 1), serverRoot });
      if (error) return error.file ? error : { ...error, file: included };
    }
    return undefined;
  };
}

/** Syntax check; prints what httpd prints. Returns the exit code. */
export function configTest(ctx: ToolContext, file: string, version: ApacheVersion, quietOk = false): number {
  const hostFile = resolveConfig(ctx, file);
  if (!fs.existsSync(hostFile) || !mayRead(ctx, hostFile)) {
    ctx.err(`httpd: Could not open configuration file ${file}: ${fs.existsSync(hostFile) ? 'Permission denied' : 'No such file or directory'}\n`);
    return 1;
  }
  const problem = checkApacheConfig(fs.readFileSync(hostFile, 'utf8'), version, { include: includeCheck(ctx, version) });
  if (problem) {
    const where = `line ${problem.line} of ${problem.file ?? file}`;
    ctx.err(problem.oneLine ? `httpd: Syntax error on ${where}: ${problem.message}\n` : `${version === '2.4' ? 'AH00526: ' : ''}Syntax error on ${where}:\n${problem.message}\n`);
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
