/** `plan --out FILE` and `apply FILE`: a plan saved, then applied exactly as saved, or refused when the server moved on. */
import { resolve } from 'node:path';
import { loadConfig } from './config-file.js';
import type { Observation } from '../core/engine.js';
import { planSettings, readPlanFile, savePlan, staleness, writePlanFile } from './plan-file.js';
import { runSession, withApplyLock, type SessionResult } from '../core/session.js';
import type { Settings } from '../core/settings.js';
import { UsageError, UserError } from '../errors.js';
import { runnableCommand } from '../ui/suggest.js';
import { VERSION } from '../version.js';
import type { Context } from './context.js';
import { hardeningPlan, readServer, sessionOf } from './session.js';
import type { SettingFlags } from './settings-flags.js';

function target(ctx: Context) {
  return { root: ctx.host.root, config: ctx.options.config ? ctx.configPath : undefined };
}

export async function savePlanTo(ctx: Context, file: string, obs: Observation, settings: Settings): Promise<void> {
  const path = resolve(file);
  try {
    await writePlanFile(path, savePlan(obs, settings, VERSION));
  } catch (error) {
    throw new UserError(`cannot write the plan to ${path}: ${(error as Error).message}`, 73);
  }
  ctx.out.line(`Saved this plan to ${path} (mode 0600). Apply exactly this plan with: ${runnableCommand(target(ctx), ['apply', path])}`);
}

/** `--quota` for `quota`, `--no-sender-login-match` for `senderLoginMatch: false`. */
function flagName(key: string, value: unknown): string {
  const name = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return value === false ? `--no-${name}` : `--${name}`;
}

/** `apply FILE`: the saved settings, planned again under the lock; applied only when that gives the saved plan. */
export async function applySavedPlan(ctx: Context, flags: SettingFlags, file: string): Promise<SessionResult> {
  const given = Object.entries(flags).filter(([, value]) => value !== undefined);
  if (given.length > 0) throw new UsageError(`apply ${file}: the settings are the plan's; drop ${given.map(([k, v]) => flagName(k, v)).join(', ')} (or make a new plan with them)`);
  const path = resolve(file);
  const plan = await readPlanFile(path);
  const again = `make a new plan: ${runnableCommand(target(ctx), ['plan', '--out', path])}`;
  const settings = planSettings(plan, await loadConfig(ctx.configPath));
  if (!settings) throw new UserError(`the plan ${path} is stale: it was made with a monitor.webhookUrl that ${ctx.configPath} no longer holds; nothing was changed; ${again}`);
  return withApplyLock(ctx.host, 'zimbra-harden apply', async () => {
    const obs = await readServer(ctx, settings);
    const stale = staleness(plan, obs);
    if (stale) throw new UserError(`the plan ${path} is stale: ${stale}; nothing was changed; ${again}`);
    return runSession(sessionOf(ctx), hardeningPlan(ctx, obs, settings));
  });
}
