import { Command, CommanderError } from 'commander';
import { EXIT, ExitError, UserError } from './errors.js';
import { operationalError } from './operational-error.js';
import type { Context, GlobalOptions } from './commands/context.js';
import { addSettingFlags, type SettingFlags } from './commands/flags.js';
import { registerCron } from './commands/cron-command.js';
import { registerIncident } from './commands/incident-command.js';
import { registerMonitor } from './commands/monitor-command.js';
import { registerSandbox } from './commands/sandbox-command.js';
import { VERSION } from './version.js';

function buildProgram(): Command {
  const program = new Command('zimbra-harden')
    .description('Stop a Zimbra server from relaying spam through stolen accounts: plan, apply and audit the hardening, watch the logs.')
    .version(VERSION)
    .option('--root <dir>', 'resolve every path and command under DIR (a simulated host from `sandbox create`)')
    .option('--config <file>', 'settings file (default /etc/zimbra-harden/config.json, written by apply)')
    .option('--json', 'machine output: JSON lines, first line {"type":"version","schema":"1.0"}')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('-n, --non-interactive', 'never prompt; missing settings are an error')
    .option('-q, --quiet', 'print only problems (implies -n; for cron)')
    .option('--detailed-exitcode', 'plan/audit: exit 2 when something would change or drifted')
    .showHelpAfterError('(run zimbra-harden --help for usage)')
    .exitOverride();

  const run = async (fn: (ctx: Context) => Promise<number>) => {
    const { createContext } = await import('./commands/context.js');
    const ctx = createContext(program.opts<GlobalOptions>());
    throw new ExitError(await fn(ctx));
  };

  addSettingFlags(program.command('plan').description('show what apply would change (changes nothing)')).action((flags: SettingFlags) =>
    run(async (ctx) => (await import('./commands/check.js')).runCheck(ctx, flags, 'plan')),
  );
  addSettingFlags(program.command('apply').description('harden the server: catch-all, cbpolicyd, Postfix wiring, web UI, restart and verify')).action(
    (flags: SettingFlags) => run(async (ctx) => (await import('./commands/apply.js')).runApply(ctx, flags)),
  );
  addSettingFlags(program.command('audit').description('tell which protections still hold')).action((flags: SettingFlags) =>
    run(async (ctx) => (await import('./commands/check.js')).runCheck(ctx, flags, 'audit')),
  );
  addSettingFlags(program.command('wizard', { isDefault: true }).description('guided hardening (the default on a terminal; elsewhere it prints this help and the plan)')).action((flags: SettingFlags) =>
    run(async (ctx) => {
      // Without a terminal nobody answers: show what there is to do, never do it (run `apply --yes` for that).
      if (!ctx.interactive) {
        if (!ctx.options.json) process.stdout.write(`${program.helpInformation()}\n`);
        return (await import('./commands/check.js')).runCheck(ctx, flags, 'plan');
      }
      // The server is asked first (seconds of JVM on a real one); the wizard's code loads while it answers.
      const survey = (await import('./wizard/start.js')).startWizard(ctx);
      return (await import('./wizard/run-wizard.js')).runWizard(ctx, flags, undefined, survey);
    }),
  );
  registerMonitor(program, run);
  registerCron(program, run);
  registerIncident(program, run);
  registerSandbox(program, run);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return handleError(error);
  }
}

function handleError(error: unknown): number {
  if (error instanceof ExitError) return error.exitCode;
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.usage; // commander already printed the message
  }
  if (error instanceof UserError) {
    process.stderr.write(`zimbra-harden: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
    process.stderr.write('\nInterrupted: nothing was changed.\n');
    return EXIT.interrupted;
  }
  const operational = operationalError(error);
  if (operational) {
    process.stderr.write(`zimbra-harden: ${operational.message}\n`);
    return operational.exitCode;
  }
  process.stderr.write(`zimbra-harden: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.stderr.write('This is a bug; please report it with the command you ran.\n');
  return EXIT.error;
}

process.exitCode = await main(process.argv.slice(2));
