import type { Command } from 'commander';
import { commanderFlags, MONITOR_FLAGS } from './command-flags.js';
import type { Context } from './context.js';
import type { MonitorFlags } from './monitor.js';

/** Declares `monitor`; its implementation loads only when it runs. */
export function registerMonitor(program: Command, run: (fn: (ctx: Context) => Promise<number>) => Promise<void>): void {
  const monitor = program
    .command('monitor')
    .description('watch the mail logs: forged-sender relaying, stolen accounts, quota hits, backscatter, a growing queue (exit 2 when something was reported, 75 when a report channel failed)');
  for (const flag of MONITOR_FLAGS) monitor.option(commanderFlags(flag), flag.help);
  monitor.action((flags: MonitorFlags) => run(async (ctx) => (await import('./monitor.js')).runMonitorCommand(ctx, flags)));
}
