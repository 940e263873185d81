import chalk from 'chalk';
import { runSession, withApplyLock } from '../core/session.js';
import { EXIT } from '../errors.js';
import { suggestCommand } from '../ui/suggest.js';
import type { Context } from './context.js';
import { resolveSettings } from './prepare.js';
import { hardeningPlan, readServer, sessionOf } from './session.js';
import type { SettingFlags } from './settings-flags.js';

export async function runApply(ctx: Context, flags: SettingFlags): Promise<number> {
  const settings = await resolveSettings(ctx, flags, true);
  const { code, outcome } = await withApplyLock(ctx.host, 'zimbra-harden apply', async () => {
    const obs = await readServer(ctx, settings);
    return runSession(sessionOf(ctx), hardeningPlan(ctx, obs, settings));
  });
  if (outcome && code === EXIT.ok) ctx.out.line(chalk.gray(`Check it any time with: ${suggestCommand(ctx.host.root, 'audit')}`));
  return code;
}
