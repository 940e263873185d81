import chalk from 'chalk';
import type { Recap } from '../core/engine.js';
import type { Item } from '../core/types.js';
import { EXIT } from '../errors.js';
import { recapIsProblem, recapLine, summaryCounts } from '../ui/render-items.js';
import { showObservation } from '../ui/session-view.js';
import type { Context } from './context.js';
import { readServer } from './session.js';
import { savePlanTo } from './saved-plan.js';
import { runnableCommand } from '../ui/suggest.js';
import { resolveSettings } from './prepare.js';
import type { SettingFlags } from './settings-flags.js';

/**
 * `plan` (what apply would change; a prediction, changes nothing) and `audit` (which protections
 * still hold). Every control is shown; a missing setting is an item of its own (`needs`). Exit 0, or
 * with --detailed-exitcode 2 when something would change, drifted or needs a setting; 1 on a failed
 * check. With -q only what would change, drifted, needs a setting or failed is printed.
 */
export async function runCheck(ctx: Context, flags: SettingFlags, mode: 'plan' | 'audit', out?: string): Promise<number> {
  // A plan saved for apply needs every setting apply needs.
  const settings = await resolveSettings(ctx, flags, out !== undefined);
  const obs = await readServer(ctx, settings);
  const r = showObservation(ctx.out, ctx.host, obs, mode);
  if (recapIsProblem(r, mode)) ctx.out.problem(recapLine(r, mode));
  else ctx.out.line(recapLine(r, mode));
  if (out !== undefined) {
    if (r.failed > 0) ctx.out.error(`the plan was not saved to ${out}: a check failed (above)`);
    else await savePlanTo(ctx, out, obs, settings);
  } else if (mode === 'plan' && r.changed > 0) ctx.out.line(chalk.gray('This plan is a prediction; apply re-checks everything before it changes anything.'));
  const next = nextCommand(ctx, obs.items, r, mode);
  if (next) ctx.out.problem(chalk.gray(next));
  ctx.out.event('summary', { mode, ...summaryCounts(r, mode) });
  if (r.failed > 0) return EXIT.error;
  return (r.changed > 0 || r.needs > 0) && ctx.options.detailedExitcode ? EXIT.changes : EXIT.ok;
}

/**
 * The command to run next, as it can be pasted: with missing settings, apply with an example of each
 * taken from the server (the wizard asks for them on a terminal); where no one can confirm, with --yes.
 */
function nextCommand(ctx: Context, items: readonly Item[], r: Recap, mode: 'plan' | 'audit'): string | undefined {
  const target = { root: ctx.host.root, config: ctx.options.config ? ctx.configPath : undefined };
  const yes = ctx.interactive ? [] : ['--yes'];
  const wizard = runnableCommand(target, []);
  const needs = items.filter((i) => i.status === 'needs');
  if (needs.length > 0) {
    if (needs.some((i) => !i.example?.length)) return `Give the missing settings (${needs.map((i) => i.control).join(', ')}) as flags of ${runnableCommand(target, ['apply'])}, or answer the questions of ${wizard}`;
    const apply = runnableCommand(target, ['apply', ...needs.flatMap((i) => i.example ?? []), ...yes]);
    return ctx.interactive ? `To set it up: ${wizard} (asks for each setting), or: ${apply}` : `To set it up, e.g.: ${apply}`;
  }
  if (mode === 'audit' && r.changed > 0) return `To fix the drift: ${runnableCommand(target, ['apply', ...yes])}`;
  return undefined;
}
