import chalk from 'chalk';
import { observe } from '../core/engine.js';
import { CONTROLS } from '../controls/index.js';
import { EXIT } from '../errors.js';
import { recapIsProblem, recapLine, summaryCounts } from '../ui/render-items.js';
import { withSpinner } from '../ui/spinner.js';
import { showObservation } from './apply.js';
import type { Context } from './context.js';
import { suggestCommand } from '../ui/suggest.js';
import { resolveSettings } from './prepare.js';
import type { SettingFlags } from './settings-flags.js';

/**
 * `plan` (what apply would change; a prediction, changes nothing) and `audit` (which protections
 * still hold). Exit 0, or with --detailed-exitcode 2 when something would change or drifted; 1 on a
 * failed check. With -q only what would change, drifted or failed is printed.
 */
export async function runCheck(ctx: Context, flags: SettingFlags, mode: 'plan' | 'audit'): Promise<number> {
  const settings = await resolveSettings(ctx, flags, mode === 'plan');
  const obs = await withSpinner(ctx.out, 'Reading the server', observe(ctx.host, settings, CONTROLS, ctx.options.config ? ctx.configPath : undefined));
  const r = showObservation(ctx, obs, mode);
  if (recapIsProblem(r, mode)) ctx.out.problem(recapLine(r, mode));
  else ctx.out.line(recapLine(r, mode));
  if (mode === 'plan' && r.changed > 0) ctx.out.line(chalk.gray('This plan is a prediction; apply re-checks everything before it changes anything.'));
  if (mode === 'audit' && r.changed > 0) ctx.out.problem(chalk.gray(`To fix the drift: ${suggestCommand(ctx.host.root, 'apply')}`));
  ctx.out.event('summary', { mode, ...summaryCounts(r, mode) });
  if (r.failed > 0) return EXIT.error;
  return r.changed > 0 && ctx.options.detailedExitcode ? EXIT.changes : EXIT.ok;
}
