/**
 * One apply session, whatever made the plan (the hardening controls, contain, release): show the
 * plan, ask once, apply (restart and verification included), recap, save the settings. What is
 * printed is the view's business (ui/session-view.ts); the lock is taken around it by the caller.
 */
import { EXIT } from '../errors.js';
import type { Host } from '../host/host.js';
import { applyPlan, type ApplyOutcome } from './apply.js';
import { saveConfig } from './save-config.js';
import { STATE_DIR } from './state-dir.js';
import type { Observation, Recap } from './engine.js';
import type { Reporter } from './events.js';
import { acquireLock } from './lock.js';
import type { Settings } from './settings.js';
import type { Control } from './types.js';

/** One apply at a time, whichever command runs it (flock(2): released when the process dies). */
export const APPLY_LOCK = `${STATE_DIR}/apply.lock`;

export async function withApplyLock<T>(host: Host, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(host, APPLY_LOCK, what);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}

/** What a session shows: the plan, progress, the recap (text or JSON lines). */
export interface SessionView {
  /** Shows the server and every item; returns the counts. */
  plan(obs: Observation): Recap;
  /** Nothing will be applied: the failed checks, or that everything already holds. */
  nothingToApply(obs: Observation, planned: Recap): void;
  declined(): void;
  reporter(): Promise<Reporter>;
  /** The recap line, what was and was not applied, the summary. */
  finished(command: string, planned: Recap, outcome: ApplyOutcome): void;
  /** The server was changed (or not), but the settings could not be saved. */
  notSaved(path: string, error: Error): void;
}

/** Where a session runs and how it asks. */
export interface Session {
  host: Host;
  view: SessionView;
  /** Whether to go ahead: --yes, or yes to the question. */
  consent(question: string): Promise<boolean>;
  /** --detailed-exitcode: exit 2 when something changed. */
  detailedExitcode?: boolean;
}

export interface SessionPlan {
  /** The command, named in messages ("apply stopped: …"). */
  command: string;
  obs: Observation;
  question(changes: number): string;
  /** The controls that made the plan and their settings: they verify themselves after the restart. */
  controls?: readonly Control[];
  /** Settings saved to `path` once applied (or once nothing needs changing): later runs need no flags. */
  save?: { path: string; settings: Settings };
  /** Applies with this host instead of the session's (contain: it carries the new password, the plan does not). */
  applyHost?: Host;
  /** After applying, before the recap (contain's own checks); false makes the exit code 1. */
  afterApply?(outcome: ApplyOutcome, report: Reporter): Promise<boolean>;
}

export interface SessionResult {
  /** 0 (also when declined), 1 on a failure, 2 with --detailed-exitcode when something changed, 73 when the settings could not be saved. */
  code: number;
  /** undefined: nothing was applied (nothing to do, a failed check, or declined). */
  outcome?: ApplyOutcome;
}

export async function runSession(session: Session, plan: SessionPlan): Promise<SessionResult> {
  const { view } = session;
  const planned = view.plan(plan.obs);
  if (planned.failed > 0 || planned.changed === 0) {
    view.nothingToApply(plan.obs, planned);
    return { code: planned.failed > 0 ? EXIT.error : await saveSettings(session, plan, EXIT.ok) };
  }
  if (!(await session.consent(plan.question(planned.changed)))) {
    view.declined();
    return { code: EXIT.ok };
  }
  const report = await view.reporter();
  const verifiers = plan.controls && plan.save ? { controls: plan.controls, settings: plan.save.settings } : undefined;
  const outcome = await applyPlan(plan.applyHost ?? session.host, plan.obs, report, verifiers);
  const extrasOk = plan.afterApply ? await plan.afterApply(outcome, report) : true;
  view.finished(plan.command, planned, outcome);
  const failed = outcome.failed.length > 0 || outcome.verified === false || !extrasOk;
  const code = failed ? EXIT.error : outcome.applied.length > 0 && session.detailedExitcode ? EXIT.changes : EXIT.ok;
  return { code: await saveSettings(session, plan, code), outcome };
}

/** Saved after the recap (the server was changed either way); a config file that cannot be written is said last, with exit 73. */
async function saveSettings(session: Session, plan: SessionPlan, code: number): Promise<number> {
  if (!plan.save) return code;
  try {
    await saveConfig(plan.save.path, plan.save.settings);
    return code;
  } catch (error) {
    session.view.notSaved(plan.save.path, error as Error);
    return code === EXIT.ok ? EXIT.cantCreate : code;
  }
}
