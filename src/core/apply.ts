import { InterruptedError, UserError } from '../errors.js';
import { guarded, throwIfInterrupted } from '../host/interrupts.js';
import type { Host } from '../host/host.js';
import { applyRowsAction } from '../cbpolicyd/quota-rows.js';
import { postconfReader } from '../zimbra/postconf.js';
import { runZmprovBatch } from '../zimbra/zmprov-batch.js';
import type { Observation } from './engine.js';
import type { Reporter } from './events.js';
import { addPending, clearPending } from './pending-restarts.js';
import { BACKUP_DIR } from './state-dir.js';
import { describeRun, RESTART } from './restart.js';
import type { Settings } from './settings.js';
import type { Action, Control, Item, ServerEnv } from './types.js';
import { prevalidate, runValidator, type PassedChecks } from './validators.js';

export interface ApplyOutcome {
  applied: Item[];
  failed: { item: Item; error: string }[];
  /** Planned changes that were not attempted because an earlier step failed. */
  notApplied: Item[];
  /** undefined when nothing was restarted, so nothing was verified. */
  verified?: boolean;
}

/** Runs one action; `checks`: the file checks that passed before the first change, told what the action changed. */
async function runAction(host: Host, env: ServerEnv, action: Action, checks: PassedChecks): Promise<string[]> {
  switch (action.kind) {
    case 'write-file': {
      const notes: string[] = [];
      if (action.backup && (await host.stat(action.path))) notes.push(`backup: ${await host.backup(action.path, BACKUP_DIR)}`);
      else await host.mkdir(action.path.slice(0, action.path.lastIndexOf('/')));
      const validate = checks.stands(action) ? undefined : action.validate;
      checks.changed(action.path);
      await host.writeFileAtomic(action.path, action.content, {
        mode: action.mode,
        uid: action.owner?.uid,
        gid: action.owner?.gid,
        validate: validate ? (temp) => runValidator(host, env, validate, temp, action.path) : undefined,
      });
      return [...notes, `wrote ${action.path}`];
    }
    case 'remove-file':
      checks.changed(action.path);
      await host.remove(action.path);
      return [`removed ${action.path}`];
    case 'run': {
      checks.ranCommand();
      const result = await host.exec(action.command, action.args, {
        user: action.user,
        input: action.input,
        timeoutMs: action.timeoutMs,
        finishOnInterrupt: action.finishOnInterrupt,
      });
      if (result.exitCode !== 0) {
        const said = (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ');
        throw new UserError(`${describeRun(action)} exited ${result.exitCode}${said ? `: ${said}` : ''}`);
      }
      return [`ran ${describeRun(action)} (${(result.durationMs / 1000).toFixed(1)}s)`];
    }
    case 'policyd-rows':
      checks.changed(action.database);
      return applyRowsAction(host.resolve(action.database), action);
    case 'zmprov':
      throw new Error('zmprov actions run in one batch');
  }
}

/** The controls that made the plan, and the settings they made it with: each verifies itself after the restart. */
export interface Verifiers {
  controls: readonly Control[];
  settings: Settings;
}

/**
 * Applies the changes of an observation: zmprov writes in one batched process, then files,
 * then the restart, then what needed the restart, then verification. Stops at the first failure
 * and says what was applied and what was not.
 */
export function applyPlan(host: Host, obs: Observation, report: Reporter, verifiers?: Verifiers): Promise<ApplyOutcome> {
  return guarded(() => applyGuarded(host, obs, report, verifiers));
}

async function applyGuarded(host: Host, obs: Observation, report: Reporter, verifiers: Verifiers | undefined): Promise<ApplyOutcome> {
  const { env } = obs;
  const changes = obs.items.filter((i) => i.status === 'change' && i.control !== RESTART);
  const restart = obs.items.find((i) => i.control === RESTART && i.status === 'change');
  const checks = await prevalidate(host, env, changes);
  // Written down before the first change: a run killed between a change and its restart is finished by the next.
  if (restart) await addPending(host, restart.restart);

  const ordered = [
    ...changes.filter((i) => i.phase !== 'after-restart'),
    ...(restart ? [restart] : []),
    ...changes.filter((i) => i.phase === 'after-restart'),
  ];
  const outcome: ApplyOutcome = { applied: [], failed: [], notApplied: [] };
  const fail = (item: Item, error: string) => {
    outcome.failed.push({ item, error });
    report({ type: 'apply_errored', item, error });
  };

  const writes = ordered.filter((i) => i.phase !== 'after-restart' && i.actions.some((a) => a.kind === 'zmprov'));
  if (writes.length > 0) {
    const perItem = writes.map((i) => i.actions.flatMap((a) => (a.kind === 'zmprov' ? [a.argv] : [])));
    writes.forEach((item) => report({ type: 'apply_start', item }));
    const batch = await runZmprovBatch(host, env.paths.zmprov, perItem.flat());
    // zmprov goes on after an error: each item is judged by its own commands' output.
    let offset = 0;
    writes.forEach((item, n) => {
      const mine = batch.results.slice(offset, offset + perItem[n]!.length);
      offset += perItem[n]!.length;
      const errors = mine.flatMap((r) => r.errors);
      if (errors.length > 0) fail(item, errors.join('; '));
      else if (mine.some((r) => !r.completed)) {
        const said = batch.stderr.split('\n')[0] || `exit ${batch.exitCode}`;
        fail(item, `zmprov stopped before it finished this item's commands (${said}); run apply again`);
      }
    });
  }

  for (const item of ordered) {
    throwIfInterrupted();
    if (outcome.failed.some((f) => f.item === item)) continue;
    if (outcome.failed.length > 0) {
      if (!writes.includes(item)) outcome.notApplied.push(item);
      else outcome.applied.push(item);
      continue;
    }
    const notes: string[] = [];
    if (!writes.includes(item)) report({ type: 'apply_start', item });
    try {
      for (const action of item.actions) {
        if (action.kind === 'zmprov') continue;
        throwIfInterrupted();
        notes.push(...(await runAction(host, env, action, checks)));
        if (action.kind === 'run' && action.restarts) await clearPending(host, action.restarts);
      }
      outcome.applied.push(item);
      report({ type: 'apply_complete', item, notes });
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      fail(item, error instanceof Error ? error.message : String(error));
    }
  }

  if (restart && outcome.applied.includes(restart)) outcome.verified = await verify(host, obs, report, verifiers);
  return outcome;
}

/**
 * After a restart: every control that can verifies itself, in plan order; one verdict each is
 * reported. Postfix's parameters they read come from one postconf run, made when the first needs it.
 */
async function verify(host: Host, obs: Observation, report: Reporter, verifiers: Verifiers | undefined): Promise<boolean> {
  if (!verifiers) return true;
  const { env } = obs;
  const verifying = verifiers.controls
    .map((control) => ({ control, items: obs.items.filter((i) => i.control === control.id) }))
    .filter(({ control, items }) => control.verify && items.length > 0);
  const postconf = postconfReader(host, env, verifying.flatMap(({ control }) => control.postconf?.(env, verifiers.settings) ?? []));
  let ok = true;
  for (const { control, items } of verifying) {
    for (const verdict of await control.verify!({ host, env, settings: verifiers.settings, items, postconf })) {
      ok &&= verdict.ok;
      report({ type: 'verify', ...verdict });
    }
  }
  return ok;
}
