/** `zimbra-harden release ACCOUNT`: unlock the account and release its own held mail (the password stays the new one). */
import { runSession, withApplyLock } from '../core/session.js';
import { observeAccount } from '../incident/observe-account.js';
import { planRelease } from '../incident/release-plan.js';
import { plural } from '../ui/render-items.js';
import { requireRoot } from './account-apply.js';
import type { Context } from './context.js';
import { sessionOf } from './session.js';

export interface ReleaseFlags {
  deleteForged?: boolean;
}

export async function runRelease(ctx: Context, name: string, flags: ReleaseFlags): Promise<number> {
  requireRoot(ctx, 'release');
  return withApplyLock(ctx.host, 'zimbra-harden release', async () => {
    const obs = await observeAccount(ctx.host, name.toLowerCase());
    const observation = { env: obs.env, items: planRelease(obs, { deleteForged: flags.deleteForged ?? false }) };
    const question = (changes: number) => `Release ${obs.account.name}? (${plural(changes, 'change')})`;
    return (await runSession(sessionOf(ctx), { command: 'release', obs: observation, question })).code;
  });
}
