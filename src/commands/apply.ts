import chalk from 'chalk';
import { applyPlan, type ApplyOutcome } from '../core/apply.js';
import { saveConfig } from './config-file.js';
import { observe, recap, type Observation, type Recap } from '../core/engine.js';
import { acquireLock } from '../core/lock.js';
import type { Settings } from '../core/settings.js';
import { STATE_DIR } from '../core/state-dir.js';
import { CONTROLS } from '../controls/index.js';
import { EXIT } from '../errors.js';
import { formatVersion } from '../zimbra/version.js';
import { createReporter } from '../ui/progress.js';
import { plural, recapLine, renderItems, type Mode } from '../ui/render-items.js';
import { withSpinner } from '../ui/spinner.js';
import { consentToChange, inquirerConfirm, type Confirm } from './consent.js';
import type { Context } from './context.js';
import { suggestCommand } from '../ui/suggest.js';
import { resolveSettings } from './prepare.js';
import type { SettingFlags } from './settings-flags.js';

export const APPLY_LOCK = `${STATE_DIR}/apply.lock`;

export type { Confirm } from './consent.js';

export async function runApply(ctx: Context, flags: SettingFlags, ask: Confirm = inquirerConfirm): Promise<number> {
  const settings = await resolveSettings(ctx, flags, true);
  const lock = await acquireLock(ctx.host, APPLY_LOCK, 'zimbra-harden apply');
  try {
    const obs = await withSpinner(ctx.out, 'Reading the server', observe(ctx.host, settings, CONTROLS, ctx.options.config ? ctx.configPath : undefined));
    const planned = showObservation(ctx, obs, 'apply');
    if (planned.failed > 0 || planned.changed === 0) return await settle(ctx, settings, obs);
    if (!(await consentToChange(ctx, applyQuestion(planned.changed, obs.env.hostname), ask))) {
      ctx.out.line('Nothing was changed.');
      return EXIT.ok;
    }
    const code = await executePlan(ctx, obs, settings);
    if (code === EXIT.ok) ctx.out.line(chalk.gray(`Check it any time with: ${suggestCommand(ctx.host.root, 'audit')}`));
    return code;
  } finally {
    await lock.release();
  }
}

/** "Apply this change to HOST?" or "Apply these N changes to HOST?" */
export function applyQuestion(changes: number, hostname: string): string {
  return `Apply ${changes === 1 ? 'this change' : `these ${plural(changes, 'change')}`} to ${hostname}?`;
}

/** Exit code of an apply that went through: 1 on a failure; with --detailed-exitcode 2 when something changed (Terraform). */
export function applyExitCode(ctx: Context, failed: boolean, changed: number): number {
  if (failed) return EXIT.error;
  return changed > 0 && ctx.options.detailedExitcode ? EXIT.changes : EXIT.ok;
}

/** Prints the server line, every item and the recap line; returns the counts. */
export function showObservation(ctx: Context, obs: Observation, mode: Mode): Recap {
  const { out } = ctx;
  out.event('server', { zimbraVersion: formatVersion(obs.env.version), release: obs.env.version.raw, hostname: obs.env.hostname, mtaServers: obs.env.mtaServers.map((s) => s.name) });
  out.line(chalk.bold(`ZCS ${formatVersion(obs.env.version)} on ${obs.env.hostname}${ctx.host.simulated ? ` (root ${ctx.host.root})` : ''}`));
  out.line();
  renderItems(out, obs.items, mode);
  out.line();
  return recap(obs.items);
}

/** When there is nothing to apply: a failed check stops everything; otherwise all holds already. */
export async function settle(ctx: Context, settings: Settings, obs: Observation): Promise<number> {
  const planned = recap(obs.items);
  const failures = obs.items.filter((i) => i.status === 'fail');
  const { out } = ctx;
  if (planned.failed > 0) {
    const reasons = failures.map((i) => `${i.control} ${i.subject}: ${i.message}`).join('; ');
    out.error(`nothing was changed: ${reasons}`);
    out.event('summary', { mode: 'apply', ...planned, changed: 0 });
    return EXIT.error;
  }
  out.line(chalk.green('Nothing to do: every step already holds.'));
  out.line(recapLine(planned, 'apply'));
  out.event('summary', { mode: 'apply', ...planned, changed: 0 });
  return saveSettings(ctx, settings, EXIT.ok);
}

/**
 * Saves the settings after the recap and summary (the server was changed either way);
 * a config file that cannot be written is said last, with exit 73.
 */
async function saveSettings(ctx: Context, settings: Settings, code: number): Promise<number> {
  try {
    await saveConfig(ctx.configPath, settings);
    return code;
  } catch (error) {
    ctx.out.error(`the server is as reported above, but the settings could not be saved to ${ctx.configPath} (${(error as Error).message}); until it is writable, give the same flags again next time`);
    return code === EXIT.ok ? EXIT.cantCreate : code;
  }
}

/** Applies, saves the settings used, prints the recap; exit 1 if a step or the verification failed. */
export async function executePlan(ctx: Context, obs: Observation, settings: Settings): Promise<number> {
  const reporter = await createReporter(ctx.out, ctx.interactive);
  const outcome = await applyPlan(ctx.host, obs, reporter);
  return saveSettings(ctx, settings, finish(ctx, outcome, recap(obs.items)));
}

function finish(ctx: Context, outcome: ApplyOutcome, planned: Recap): number {
  const { out } = ctx;
  const r = { ...planned, changed: outcome.applied.length, failed: outcome.failed.length };
  const failed = outcome.failed.length > 0 || outcome.verified === false;
  out.line();
  if (failed) out.problem(recapLine(r, 'apply'));
  else out.line(recapLine(r, 'apply'));
  if (outcome.failed.length > 0 || outcome.notApplied.length > 0) {
    const applied = outcome.applied.map((i) => `${i.control} ${i.subject}`).join(', ') || 'nothing';
    const notApplied = [...outcome.failed.map((f) => f.item), ...outcome.notApplied].map((i) => `${i.control} ${i.subject}`).join(', ');
    out.error(`apply stopped: applied ${applied}; not applied: ${notApplied}. Fix the cause and run apply again: it picks up where it stopped.`);
  } else if (outcome.verified === false) {
    out.error('the changes were applied but verification failed (evidence above)');
  }
  out.event('summary', {
    mode: 'apply',
    ...r,
    applied: outcome.applied.map((i) => ({ id: i.control, subject: i.subject })),
    notApplied: outcome.notApplied.map((i) => ({ id: i.control, subject: i.subject })),
    verified: outcome.verified ?? null,
  });
  return applyExitCode(ctx, failed, outcome.applied.length);
}
