import chalk from 'chalk';
import { runSession, withApplyLock, type SessionResult } from '../core/session.js';
import { EXIT } from '../errors.js';
import { suggestCommand } from '../ui/suggest.js';
import type { Context } from './context.js';
import { resolveSettings } from './prepare.js';
import { applySavedPlan } from './saved-plan.js';
import { hardeningPlan, readServer, sessionOf } from './session.js';
import type { SettingFlags } from './settings-flags.js';

/** `apply`: plan, show, ask once, apply, restart, verify, save the settings; `apply FILE`: the same with a saved plan. */
export async function runApply(ctx: Context, flags: SettingFlags, planFile?: string): Promise<number> {
  const { code, outcome } = planFile !== undefined ? await applySavedPlan(ctx, flags, planFile) : await applyFresh(ctx, flags);
  if (outcome && code === EXIT.ok) ctx.out.line(chalk.gray(`Check it any time with: ${suggestCommand(ctx.host.root, 'audit')}`));
  return code;
}

async function applyFresh(ctx: Context, flags: SettingFlags): Promise<SessionResult> {
  const settings = await resolveSettings(ctx, flags, true);
  return withApplyLock(ctx.host, 'zimbra-harden apply', async () => {
    const obs = await readServer(ctx, settings);
    return runSession(sessionOf(ctx), hardeningPlan(ctx, obs, settings));
  });
}
