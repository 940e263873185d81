/**
 * Zimbra's own PHP (the one Apache runs the web UI with). It is the system's real `php`, so that
 * `php -l` stays a real check; only `-m` can be made to lack pdo_sqlite, because whether Zimbra's
 * builds have it is documented nowhere: present unless the sandbox says otherwise.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mayRead } from '../run-as.js';
import { statePath } from '../state.js';
import type { ToolContext } from './context.js';

/** Marker file: its presence makes `php -m` leave pdo_sqlite out. */
export const NO_PDO_SQLITE = 'php-without-pdo_sqlite';

/** Options of php's command line that take a value; the first other bare word (or `-f FILE`) is the script. */
const WITH_VALUE = new Set(['-c', '-d', '-z', '-B', '-R', '-F', '-E', '-t', '-S']);

function scriptOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-f') return args[i + 1];
    if (arg === '-r' || arg === '--') return undefined;
    if (WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

export function php(ctx: ToolContext): number {
  const script = scriptOf(ctx.args);
  // The system's php opens the path as given, a host path.
  if (script !== undefined && !mayRead(ctx, path.resolve(script))) {
    ctx.out(`Could not open input file: ${script}\n`);
    return 1;
  }
  const withoutPdo = fs.existsSync(statePath(ctx.root, NO_PDO_SQLITE));
  const listModules = ctx.args.length === 1 && ctx.args[0] === '-m';
  const result = spawnSync('php', ctx.args, { stdio: listModules ? ['inherit', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (result.error) {
    ctx.err(`php: cannot run the system's php (${result.error.message}); install php-cli\n`);
    return 127;
  }
  if (listModules) {
    const lines = (result.stdout ?? '').split('\n');
    ctx.out(lines.filter((l) => !(withoutPdo && l.trim().toLowerCase() === 'pdo_sqlite')).join('\n'));
  }
  return result.status ?? 1;
}
