import type { Command } from 'commander';
import { keyOf, SETTINGS } from '../core/options.js';
import type { Context } from './context.js';
import type { CronInstallFlags } from './cron.js';

/** Declares `cron install|remove|show`; the implementation loads only when one runs. */
export function registerCron(program: Command, run: (fn: (ctx: Context) => Promise<number>) => Promise<void>): void {
  const interval = SETTINGS.monitor.intervalMinutes;
  const intervalHelp = `minutes between two runs (${interval.min}-${interval.max})`;
  const cron = program.command('cron').description('run the log monitor from cron (/etc/cron.d/zimbra-harden)');
  cron
    .command('install')
    .description(`write the cron entry (every ${keyOf(interval)}, default ${interval.default})`)
    .option('--interval <minutes>', intervalHelp)
    .option('--dry-run', 'show the file that would be written, change nothing')
    .action((flags: CronInstallFlags) => run(async (ctx) => (await import('./cron.js')).runCronInstall(ctx, flags)));
  cron
    .command('remove')
    .description('delete the cron entry')
    .action(() => run(async (ctx) => (await import('./cron.js')).runCronRemove(ctx)));
  cron
    .command('show')
    .description('print the cron entry and whether it is installed')
    .option('--interval <minutes>', intervalHelp)
    .action((flags: CronInstallFlags) => run(async (ctx) => (await import('./cron.js')).runCronShow(ctx, flags)));
}
