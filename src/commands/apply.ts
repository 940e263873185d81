import chalk from 'chalk';
import { applyPlan, type ApplyOutcome } from '../core/apply.js';
import { saveConfig } from '../core/config-file.js';
import { observe, recap, type Observation, type Recap } from '../core/engine.js';
import { acquireLock } from '../core/lock.js';
import type { Settings } from '../core/settings.js';
import { CONTROLS } from '../controls/index.js';
import { EXIT } from '../errors.js';
import { formatVersion } from '../zimbra/version.js';
import { createReporter } from '../ui/progress.js';
import { recapLine, renderItems, type Mode } from '../ui/render-items.js';
import type { Context } from './context.js';
import { suggestCommand } from '../ui/suggest.js';
import { resolveSettings } from './prepare.js';
import type { SettingFlags } from './settings-flags.js';

export const APPLY_LOCK = '/var/lib/zimbra-harden/apply.lock';

/** Asks the question through Inquirer (loaded only when a question is really asked). */
export type Confirm = (message: string) => Promise<boolean>;

const inquirerConfirm: Confirm = async (message) => {
  const { confirm } = await import('../ui/prompts.js');
  return confirm({ message, default: false });
};

export async function runApply(ctx: Context, flags: SettingFlags, ask: Confirm = inquirerConfirm): Promise<number> {
  const settings = await resolveSettings(ctx, flags, true);
  const lock = await acquireLock(ctx.host, APPLY_LOCK, 'zimbra-harden apply');
  try {
    const obs = await observe(ctx.host, settings, CONTROLS, ctx.options.config ? ctx.configPath : undefined);
    const planned = showObservation(ctx, obs, 'apply');
    if (planned.failed > 0 || planned.changed === 0) return await settle(ctx, settings, obs);
    if (!ctx.options.yes && ctx.interactive && !(await ask(`Apply these ${planned.changed} changes to ${obs.env.hostname}?`))) {
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

/** Prints the server line, every item and the recap line; returns the counts. */
export function showObservation(ctx: Context, obs: Observation, mode: Mode): Recap {
  const { out } = ctx;
  out.event('server', { zimbraVersion: formatVersion(obs.env.version), release: obs.env.version.raw, hostname: obs.env.hostname, mtaServers: obs.env.mtaServers.map((s) => s.name) });
  out.line(chalk.bold(`ZCS ${formatVersion(obs.env.version)} on ${obs.env.hostname}${ctx.host.root === '/' ? '' : ` (root ${ctx.host.root})`}`));
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
  await saveConfig(ctx.configPath, settings);
  out.line(chalk.green('Nothing to do: every step already holds.'));
  out.line(recapLine(planned, 'apply'));
  out.event('summary', { mode: 'apply', ...planned, changed: 0 });
  return EXIT.ok;
}

/** Applies, saves the settings used, prints the recap; exit 1 if a step or the verification failed. */
export async function executePlan(ctx: Context, obs: Observation, settings: Settings): Promise<number> {
  const reporter = await createReporter(ctx.out, ctx.interactive);
  const outcome = await applyPlan(ctx.host, obs, reporter);
  await saveConfig(ctx.configPath, settings);
  return finish(ctx, outcome, recap(obs.items));
}

function finish(ctx: Context, outcome: ApplyOutcome, planned: Recap): number {
  const { out } = ctx;
  const r = { ...planned, changed: outcome.applied.length, failed: outcome.failed.length };
  out.line();
  out.line(recapLine(r, 'apply'));
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
  return outcome.failed.length > 0 || outcome.verified === false ? EXIT.error : EXIT.ok;
}
