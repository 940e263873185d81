import { Command, CommanderError } from 'commander';
import { EXIT, ExitError } from './errors.js';
import type { Context, GlobalOptions } from './commands/context.js';
import { commanderFlags, GLOBAL_FLAGS } from './commands/command-flags.js';
import { addSettingFlags, type SettingFlags } from './commands/flags.js';
import { registerCron } from './commands/cron-command.js';
import { registerIncident } from './commands/incident-command.js';
import { registerMonitor } from './commands/monitor-command.js';
import { registerSandbox } from './commands/sandbox-command.js';
import { exitCodeOf } from './commands/run-error.js';
import { setColorLevel } from './ui/color.js';
import { addHelp } from './ui/help.js';
import { createOutput, type Output } from './ui/output.js';
import { VERSION } from './version.js';

function buildProgram(started: (ctx: Context) => void): Command {
  const program = new Command('zimbra-harden')
    .description('Stop a Zimbra server from relaying spam through stolen accounts: plan, apply and audit the hardening, watch the logs.')
    .version(VERSION)
    // Every command's help lists these global options too.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run zimbra-harden --help for usage)')
    .showSuggestionAfterError()
    .exitOverride();
  for (const flag of GLOBAL_FLAGS) program.option(commanderFlags(flag), flag.help);

  const run = async (fn: (ctx: Context) => Promise<number>) => {
    const ctx = await (await import('./commands/context.js')).openContext(program.opts<GlobalOptions>());
    started(ctx);
    throw new ExitError(await fn(ctx));
  };

  addSettingFlags(
    program
      .command('plan')
      .description('show what apply would change (changes nothing)')
      .option('--out <file>', 'also save the plan to FILE (mode 0600, no secret in it) for `apply FILE` (docs/saved-plans.md)'),
    'plan',
  ).action(({ out, ...flags }: SettingFlags & { out?: string }) => run(async (ctx) => (await import('./commands/check.js')).runCheck(ctx, flags, 'plan', out)));
  addSettingFlags(
    program
      .command('apply')
      .description('harden the server: catch-all, cbpolicyd, Postfix wiring, web UI, restart and verify')
      .argument('[plan-file]', 'apply exactly this saved plan (`plan --out FILE`); refused when the server no longer matches it'),
  ).action((planFile: string | undefined, flags: SettingFlags) => run(async (ctx) => (await import('./commands/apply.js')).runApply(ctx, flags, planFile)));
  addSettingFlags(program.command('audit').description('tell which protections still hold (changes nothing)'), 'audit').action((flags: SettingFlags) =>
    run(async (ctx) => (await import('./commands/check.js')).runCheck(ctx, flags, 'audit')),
  );
  addSettingFlags(
    program
      .command('wizard', { isDefault: true })
      .description('guided hardening (the default on a terminal; elsewhere it prints this help and the plan)')
      // A word here is a mistyped command (`zimbra-harden audt`): the default command receives it.
      .allowExcessArguments(),
  ).action((flags: SettingFlags, command: Command) => {
    if (command.args.length > 0) unknownCommand(program, command.args[0]!);
    return run(async (ctx) => {
      // Without a terminal nobody answers: show what there is to do, never do it (run `apply --yes` for that).
      if (!ctx.interactive) {
        if (!ctx.options.json) process.stdout.write(`${program.helpInformation()}\n`);
        return (await import('./commands/check.js')).runCheck(ctx, flags, 'plan');
      }
      // The server is asked first (seconds of JVM on a real one); the wizard's code loads while it answers.
      const survey = (await import('./wizard/start.js')).startWizard(ctx);
      return (await import('./wizard/run-wizard.js')).runWizard(ctx, flags, undefined, survey);
    });
  });
  registerMonitor(program, run);
  registerCron(program, run);
  registerIncident(program, run);
  registerSandbox(program, run);
  addHelp(program);
  return program;
}

/**
 * Commander's own "unknown command 'audt'" with its "(Did you mean audit?)", which a default command
 * otherwise hides behind "too many arguments". `unknownCommand` is commander's (untyped) method for it.
 */
function unknownCommand(program: Command, word: string): never {
  program.args = [word];
  (program as unknown as { unknownCommand(): void }).unknownCommand();
  throw new Error('unreachable: commander exits on an unknown command');
}

export async function main(argv: string[]): Promise<number> {
  setColorLevel(argv);
  let out: Output | undefined;
  const program = buildProgram((ctx) => (out = ctx.out));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    const end = argv.indexOf('--');
    const json = Boolean(program.opts<GlobalOptions>().json) || (end === -1 ? argv : argv.slice(0, end)).includes('--json');
    return handleError(error, out ?? createOutput({ json }));
  }
}

/** Commander's own errors (it printed them already), then what every command may throw (run-error.ts). */
function handleError(error: unknown, out: Output): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    // Commander already printed the message on stderr.
    out.event('error', { message: error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '), exitCode: EXIT.usage });
    return EXIT.usage;
  }
  return exitCodeOf(error, out);
}

process.exitCode = await main(process.argv.slice(2));
