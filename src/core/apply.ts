import { InterruptedError, UserError } from '../errors.js';
import { guarded, throwIfInterrupted } from '../host/interrupts.js';
import type { Host } from '../host/host.js';
import { readWiring } from '../zimbra/postfix-wiring.js';
import { hasMismatchToken, readLiveSenderLogin } from '../zimbra/sender-login.js';
import { runZmprovBatch } from '../zimbra/zmprov-batch.js';
import type { Observation } from './engine.js';
import type { Reporter } from './events.js';
import { sqlExecutor } from './executors.js';
import { addPending, clearPending } from './pending-restarts.js';
import { BACKUP_DIR } from './state-dir.js';
import { describeRun, RESTART } from './restart.js';
import type { Action, Item, ServerEnv } from './types.js';
import { prevalidate, runValidator } from './validators.js';

export interface ApplyOutcome {
  applied: Item[];
  failed: { item: Item; error: string }[];
  /** Planned changes that were not attempted because an earlier step failed. */
  notApplied: Item[];
  /** undefined when nothing was restarted, so nothing was verified. */
  verified?: boolean;
}

async function runAction(host: Host, env: ServerEnv, action: Action): Promise<string[]> {
  switch (action.kind) {
    case 'write-file': {
      const notes: string[] = [];
      if (action.backup && (await host.stat(action.path))) notes.push(`backup: ${await host.backup(action.path, BACKUP_DIR)}`);
      else await host.mkdir(action.path.slice(0, action.path.lastIndexOf('/')));
      const validate = action.validate;
      await host.writeFileAtomic(action.path, action.content, {
        mode: action.mode,
        uid: action.owner?.uid,
        gid: action.owner?.gid,
        validate: validate ? (temp) => runValidator(host, env, validate, temp, action.path) : undefined,
      });
      return [...notes, `wrote ${action.path}`];
    }
    case 'remove-file':
      await host.remove(action.path);
      return [`removed ${action.path}`];
    case 'run': {
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
    case 'sql':
      return sqlExecutor(action.executor)(host, env, action);
    case 'zmprov':
      throw new Error('zmprov actions run in one batch');
  }
}

/**
 * Applies the changes of an observation: zmprov writes in one batched process, then files,
 * then the restart, then what needed the restart, then verification. Stops at the first failure
 * and says what was applied and what was not.
 */
export function applyPlan(host: Host, obs: Observation, report: Reporter): Promise<ApplyOutcome> {
  return guarded(() => applyGuarded(host, obs, report));
}

async function applyGuarded(host: Host, obs: Observation, report: Reporter): Promise<ApplyOutcome> {
  const { env } = obs;
  const changes = obs.items.filter((i) => i.status === 'change' && i.control !== RESTART);
  const restart = obs.items.find((i) => i.control === RESTART && i.status === 'change');
  await prevalidate(host, env, changes);
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
        notes.push(...(await runAction(host, env, action)));
        if (action.kind === 'run' && action.restarts) await clearPending(host, action.restarts);
      }
      outcome.applied.push(item);
      report({ type: 'apply_complete', item, notes });
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      fail(item, error instanceof Error ? error.message : String(error));
    }
  }

  if (restart && outcome.applied.includes(restart)) outcome.verified = await verify(host, obs, report);
  return outcome;
}

/** After a restart: cbpolicyd runs and Postfix asks it, as far as those controls are in use. */
async function verify(host: Host, obs: Observation, report: Reporter): Promise<boolean> {
  const { env } = obs;
  const used = (id: string) => obs.items.some((i) => i.control === id && i.status !== 'skip');
  let ok = true;
  if (used('cbpolicyd-service')) {
    const status = await host.exec(env.paths.zmcbpolicydctl, ['status'], { user: 'zimbra' });
    const evidence = [`zmcbpolicydctl status: exit ${status.exitCode} ${(status.stdout + status.stderr).trim()}`];
    ok &&= status.exitCode === 0;
    report({ type: 'verify', ok: status.exitCode === 0, message: status.exitCode === 0 ? 'cbpolicyd is running' : 'cbpolicyd is NOT running after the restart', evidence });
  }
  if (used('postfix-policy')) {
    const wiring = await readWiring(host, env);
    const good = wiring.missing.length === 0;
    ok &&= good;
    report({
      type: 'verify',
      ok: good,
      message: good ? `Postfix asks cbpolicyd (port ${wiring.port}) in ${wiring.required.join(', ')}` : `Postfix does NOT ask cbpolicyd in ${wiring.missing.join(', ')}`,
      evidence: wiring.evidence,
    });
  }
  const match = obs.items.find((i) => i.control === 'sender-login-match' && i.status === 'change');
  if (match) {
    const live = await readLiveSenderLogin(host, env);
    const wanted = wantsMismatch(match);
    const good = wanted ? live.enforced : !live.present;
    ok &&= good;
    report({
      type: 'verify',
      ok: good,
      message: good ? `Postfix ${wanted ? 'enforces' : 'no longer runs'} reject_authenticated_sender_login_mismatch` : `Postfix does NOT ${wanted ? 'enforce' : 'drop'} reject_authenticated_sender_login_mismatch after the MTA restart`,
      evidence: [`smtpd_sender_restrictions = ${live.restrictions}`, `smtpd_sender_login_maps = ${live.loginMaps}`],
    });
  }
  return ok;
}

/** Whether a planned sender-login-match change turns the check on (its actions or its restart-only reason). */
function wantsMismatch(item: Item): boolean {
  const write = item.actions.find((a) => a.kind === 'zmprov' && a.argv.includes('zimbraMtaSmtpdSenderRestrictions'));
  if (write && write.kind === 'zmprov') return hasMismatchToken(write.argv.at(-1) ?? '');
  return !item.message.startsWith('off');
}
