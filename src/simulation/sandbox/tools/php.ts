/**
 * Zimbra's own PHP (the one Apache runs the web UI with). It is the system's real `php`, so that
 * `php -l` stays a real check; only `-m` can be made to lack pdo_sqlite, because whether Zimbra's
 * builds have it is documented nowhere: present unless the sandbox says otherwise.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { statePath } from '../state.js';
import type { ToolContext } from './context.js';

/** Marker file: its presence makes `php -m` leave pdo_sqlite out. */
export const NO_PDO_SQLITE = 'php-without-pdo_sqlite';

export function php(ctx: ToolContext): number {
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
