/** zmprov commands: the subset of ProvUtil the hardening tool and its tests need. */
import { ACCOUNT_COMMANDS } from './account-commands.js';
import { ENTRY_COMMANDS } from './entry-commands.js';
import type { Command } from './session.js';

export { ArgError, SafeguardExit, type Command, type Session } from './session.js';

export const COMMANDS: Command[] = [...ACCOUNT_COMMANDS, ...ENTRY_COMMANDS];

export function lookupCommand(word: string): Command | undefined {
  const lower = word.toLowerCase();
  return COMMANDS.find((c) => c.name.toLowerCase() === lower || c.alias === lower);
}
