/** `zimbra-harden release ACCOUNT`: unlock the account and release its own held mail (the password stays the new one). */
import { EXIT } from '../errors.js';
import { observeAccount } from '../incident/observe-account.js';
import { planRelease } from '../incident/release-plan.js';
import type { Confirm } from './apply.js';
import { confirmAndApply, finishApply, inquirerConfirm, requireRoot, withApplyLock } from './account-apply.js';
import type { Context } from './context.js';

export interface ReleaseFlags {
  deleteForged?: boolean;
}

export async function runRelease(ctx: Context, name: string, flags: ReleaseFlags, ask: Confirm = inquirerConfirm): Promise<number> {
  requireRoot(ctx, 'release');
  return withApplyLock(ctx, 'zimbra-harden release', async () => {
    const obs = await observeAccount(ctx.host, name.toLowerCase());
    const observation = { env: obs.env, items: planRelease(obs, { deleteForged: flags.deleteForged ?? false }) };
    const applied = await confirmAndApply(ctx, observation, `Release ${obs.account.name}?`, ask, ctx.host);
    if (!applied) return EXIT.ok;
    return finishApply(ctx, observation, applied.outcome);
  });
}
