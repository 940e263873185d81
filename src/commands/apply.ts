import chalk from 'chalk';
import { applyPlan, type ApplyOutcome } from '../core/apply.js';
import { saveConfig } from '../core/config-file.js';
import { observe, recap } from '../core/engine.js';
import type { ApplyEvent } from '../core/events.js';
import { acquireLock } from '../core/lock.js';
import type { Settings } from '../core/settings.js';
import { CONTROLS } from '../controls/index.js';
import { EXIT } from '../errors.js';
import { formatVersion } from '../zimbra/version.js';
import { sanitize } from '../ui/output.js';
import { itemJson, recapLine, renderItems } from '../ui/render-items.js';
import type { Context } from './context.js';
import { resolveSettings } from './prepare.js';
import type { SettingFlags } from './settings-flags.js';

export const APPLY_LOCK = '/var/lib/zimbra-harden/apply.lock';

/** Asks the question through Inquirer (loaded only when a question is really asked). */
export type Confirm = (message: string) => Promise<boolean>;

const inquirerConfirm: Confirm = async (message) => {
  const { confirm } = await import('@inquirer/prompts');
  return confirm({ message, default: false });
};

export async function runApply(ctx: Context, flags: SettingFlags, ask: Confirm = inquirerConfirm): Promise<number> {
  const settings = await resolveSettings(ctx, flags, true);
  const lock = await acquireLock(ctx.host, APPLY_LOCK, 'zimbra-harden apply');
  try {
    return await applyLocked(ctx, settings, ask);
  } finally {
    await lock.release();
  }
}

async function applyLocked(ctx: Context, settings: Settings, ask: Confirm): Promise<number> {
  const { out } = ctx;
  const obs = await observe(ctx.host, settings, CONTROLS);
  out.event('server', { zimbraVersion: formatVersion(obs.env.version), release: obs.env.version.raw, hostname: obs.env.hostname });
  out.line(chalk.bold(`ZCS ${formatVersion(obs.env.version)} on ${obs.env.hostname}${ctx.host.root === '/' ? '' : ` (root ${ctx.host.root})`}`));
  out.line();
  renderItems(out, obs.items, 'apply');
  const planned = recap(obs.items);
  out.line();
  if (planned.failed > 0) {
    out.error(`nothing was changed: ${planned.failed} check${planned.failed > 1 ? 's' : ''} failed (see above)`);
    out.event('summary', { mode: 'apply', ...planned, applied: 0 });
    return EXIT.error;
  }
  if (planned.changed === 0) {
    await saveConfig(ctx.configPath, settings);
    out.line(chalk.green('Nothing to do: every step already holds.'));
    out.line(recapLine(planned, 'apply'));
    out.event('summary', { mode: 'apply', ...planned, changed: 0 });
    return EXIT.ok;
  }
  if (!ctx.options.yes && ctx.interactive && !(await ask(`Apply these ${planned.changed} changes to ${obs.env.hostname}?`))) {
    out.line('Nothing was changed.');
    return EXIT.ok;
  }

  const outcome = await applyPlan(ctx.host, obs, (event) => reportEvent(ctx, event));
  await saveConfig(ctx.configPath, settings);
  return finish(ctx, outcome, planned);
}

function reportEvent(ctx: Context, event: ApplyEvent): void {
  const { out } = ctx;
  if (event.type === 'verify') {
    out.event('verify', { ok: event.ok, message: event.message, evidence: event.evidence });
    out.line(`${event.ok ? chalk.green('verified') : chalk.red('NOT verified')} ${sanitize(event.message)}`);
    if (!event.ok) for (const line of event.evidence) out.line(chalk.gray(`         ${sanitize(line)}`));
    return;
  }
  const item = itemJson(event.item);
  if (event.type === 'apply_start') {
    out.event('apply_start', item);
    out.line(`${chalk.cyan('...')}     ${event.item.control} ${sanitize(event.item.subject)}`);
  } else if (event.type === 'apply_complete') {
    out.event('apply_complete', { ...item, notes: event.notes });
    out.line(`${chalk.yellow('changed')} ${event.item.control} ${sanitize(event.item.subject)}`);
    for (const note of event.notes) out.line(chalk.gray(`         ${sanitize(note)}`));
  } else {
    out.event('apply_errored', { ...item, error: event.error });
    out.line(`${chalk.red('failed')}  ${event.item.control} ${sanitize(event.item.subject)}: ${sanitize(event.error)}`);
  }
}

function finish(ctx: Context, outcome: ApplyOutcome, planned: ReturnType<typeof recap>): number {
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
  } else {
    out.line(chalk.gray('Check it any time with: zimbra-harden audit'));
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
