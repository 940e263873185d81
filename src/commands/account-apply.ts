/** What contain and release share: root only, one at a time, plan → confirm → apply (the apply engine) → recap. */
import chalk from 'chalk';
import { applyPlan, type ApplyOutcome } from '../core/apply.js';
import { recap, type Observation } from '../core/engine.js';
import { acquireLock } from '../core/lock.js';
import type { Reporter } from '../core/events.js';
import { UserError } from '../errors.js';
import type { Host } from '../host/host.js';
import { createReporter } from '../ui/progress.js';
import { plural, recapLine } from '../ui/render-items.js';
import { APPLY_LOCK, applyExitCode, showObservation, type Confirm } from './apply.js';
import { consentToChange } from './consent.js';
import type { Context } from './context.js';

export { inquirerConfirm } from './consent.js';

/** postsuper refuses anyone but root; the simulated host runs as its owner. */
export function requireRoot(ctx: Context, command: string): void {
  if (!ctx.host.simulated && ctx.host.currentUser() !== 'root') {
    throw new UserError(`${command} must run as root (postsuper, which holds and releases queued mail, refuses anyone else); try: sudo zimbra-harden ${command} …`);
  }
}

export async function withApplyLock<T>(ctx: Context, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(ctx.host, APPLY_LOCK, what);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

export interface Applied {
  outcome: ApplyOutcome;
  report: Reporter;
}

/**
 * Shows the plan and, once confirmed (or with --yes, or without a terminal), applies it with
 * `host` (which may carry a secret the plan does not). undefined: declined or nothing to change.
 */
export async function confirmAndApply(ctx: Context, obs: Observation, question: string, ask: Confirm, host: Host): Promise<Applied | undefined> {
  const planned = showObservation(ctx, obs, 'apply');
  if (planned.failed > 0) throw new UserError(`nothing was changed: ${obs.items.filter((i) => i.status === 'fail').map((i) => i.message).join('; ')}`);
  if (planned.changed === 0) {
    ctx.out.line(chalk.green('Nothing to change.'));
    ctx.out.event('summary', { mode: 'apply', ...planned });
    return undefined;
  }
  if (!(await consentToChange(ctx, `${question} (${plural(planned.changed, 'change')})`, ask))) {
    ctx.out.line('Nothing was changed.');
    return undefined;
  }
  const report = await createReporter(ctx.out, ctx.interactive);
  return { outcome: await applyPlan(host, obs, report), report };
}

/** The recap line and the summary event; exit 1 when a step failed. */
export function finishApply(ctx: Context, obs: Observation, outcome: ApplyOutcome): number {
  const r = { ...recap(obs.items), changed: outcome.applied.length, failed: outcome.failed.length };
  ctx.out.line();
  if (outcome.failed.length > 0) ctx.out.problem(recapLine(r, 'apply'));
  else ctx.out.line(recapLine(r, 'apply'));
  if (outcome.failed.length > 0 || outcome.notApplied.length > 0) {
    const names = (items: { control: string }[]) => items.map((i) => i.control).join(', ') || 'nothing';
    ctx.out.error(`stopped: applied ${names(outcome.applied)}; not applied: ${names([...outcome.failed.map((f) => f.item), ...outcome.notApplied])}`);
  }
  ctx.out.event('summary', {
    mode: 'apply',
    ...r,
    applied: outcome.applied.map((i) => ({ id: i.control, subject: i.subject })),
    notApplied: outcome.notApplied.map((i) => ({ id: i.control, subject: i.subject })),
  });
  return applyExitCode(ctx, outcome.failed.length > 0, outcome.applied.length);
}
