/** What contain and release share: root only. */
import { UserError } from '../errors.js';
import type { Context } from './context.js';

/** postsuper refuses anyone but root; the simulated host runs as its owner. */
export function requireRoot(ctx: Context, command: string): void {
  if (!ctx.host.simulated && ctx.host.currentUser() !== 'root') {
    throw new UserError(`${command} must run as root (postsuper, which holds and releases queued mail, refuses anyone else); try: sudo zimbra-harden ${command} …`);
  }
}
