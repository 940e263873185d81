// A minimal CLI with the monitor and cron commands, bundled by the cron test to run as cron would.
import { Command } from 'commander';
import { createContext, type GlobalOptions } from '../../src/commands/context.js';
import { registerCron } from '../../src/commands/cron.js';
import { registerMonitor } from '../../src/commands/monitor.js';
import { ExitError, UserError } from '../../src/errors.js';

const program = new Command('zimbra-harden').option('--root <dir>').option('--config <file>').option('--json').option('-q, --quiet').exitOverride();
const run = async (fn: (ctx: ReturnType<typeof createContext>) => Promise<number>) => {
  throw new ExitError(await fn(createContext(program.opts<GlobalOptions>())));
};
registerMonitor(program, run);
registerCron(program, run);
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (error) {
  if (error instanceof ExitError) process.exitCode = error.exitCode;
  else if (error instanceof UserError) {
    process.stderr.write(`zimbra-harden: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else throw error;
}
