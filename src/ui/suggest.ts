import type { Host } from '../host/host.js';

/** A command to suggest to the user: on a simulated host it carries `--root`, so it can be pasted as is. */
export function suggestCommand(ctx: { host: Pick<Host, 'root'> }, rest: string): string {
  return `zimbra-harden${ctx.host.root === '/' ? '' : ` --root ${ctx.host.root}`} ${rest}`;
}
