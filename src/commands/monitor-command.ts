import type { Command } from 'commander';
import type { Context } from './context.js';
import type { MonitorFlags } from './monitor.js';

/** Declares `monitor`; its implementation loads only when it runs. */
export function registerMonitor(program: Command, run: (fn: (ctx: Context) => Promise<number>) => Promise<void>): void {
  program
    .command('monitor')
    .description('watch the mail logs: forged-sender relaying, stolen accounts, quota hits, backscatter, a growing queue (exit 2 when something was reported, 75 when a report channel failed)')
    .option('--since <when>', 're-scan everything since then for triage (30m, 2h, 1d or a date); the saved position is left alone')
    .option('--no-mail', 'print the report instead of sending it (mail, syslog, webhook); nothing is used up: the next run still sends it')
    .option('--peek', 'read from the saved position and print the report, but save nothing (no lock taken)')
    .option('--domains <list>', 'comma-separated mail domains of the server (default: zmprov -l gad)')
    .action((flags: MonitorFlags) => run(async (ctx) => (await import('./monitor.js')).runMonitorCommand(ctx, flags)));
}
