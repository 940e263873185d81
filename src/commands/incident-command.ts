import type { Command } from 'commander';
import { SETTINGS } from '../core/options.js';
import { resolverProblem } from '../core/resolver-address.js';
import { UsageError } from '../errors.js';
import type { ContainFlags } from './contain.js';
import type { Context } from './context.js';
import { incidentOption } from './flags.js';
import type { IncidentFlags } from './incident.js';
import type { ReleaseFlags } from './release.js';

type Run = (fn: (ctx: Context) => Promise<number>) => Promise<void>;

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Checked as it is parsed: a bad resolver is a usage error naming the flag, before anything is read or asked. */
const collectResolvers = (value: string, previous: string[] = []) => {
  const all = collect(value, previous);
  const problem = all.map(resolverProblem).find(Boolean);
  if (problem) throw new UsageError(`--resolver ${problem}`);
  return all;
};

/** Declares `incident`, `contain` and `release`; their implementation loads only when they run. */
export function registerIncident(program: Command, run: Run): void {
  program
    .command('incident')
    .description('read-only triage once it has happened: suspect accounts, the mail queue, block lists and delisting (exit 2 when something was found)')
    .option('--since <when>', 'how far back to read the mail log (30m, 2h, 1d or a date)', '24h')
    .addOption(incidentOption(SETTINGS.incident.publicIp))
    .addOption(incidentOption(SETTINGS.incident.resolvers, { parse: collectResolvers }))
    .addOption(incidentOption(SETTINGS.incident.blocklists, { parse: collect }))
    .option('--dns-timeout <ms>', 'time allowed to each block-list query', '2000')
    .option('--no-blocklists', 'do not query any block list (no DNS traffic)')
    .action((flags: IncidentFlags) => run(async (ctx) => (await import('./incident.js')).runIncident(ctx, flags)));
  program
    .command('contain <account>')
    .description('lock a stolen account, new password, end its sessions, hold its queued mail, restart the MTA; then print a delisting request (asks first)')
    .option('--password-file <file>', 'write the new password to this new file (mode 0600) instead of showing it once; required with --json')
    .option('--remove-forwarding', 'also remove the forwarding address set on the account')
    .option('--delete-queued', 'delete its queued mail instead of holding it')
    .addOption(incidentOption(SETTINGS.incident.publicIp, { help: "the server's public IPv4 address, for the delisting request" }))
    .action((account: string, flags: ContainFlags) => run(async (ctx) => (await import('./contain.js')).runContain(ctx, account, flags)));
  program
    .command('release <account>')
    .description('after contain: unlock the account and release the mail it sent as itself (the new password stays)')
    .option('--delete-forged', 'delete the held mail traced to its logins with other senders (the relayed spam) instead of keeping it on hold')
    .action((account: string, flags: ReleaseFlags) => run(async (ctx) => (await import('./release.js')).runRelease(ctx, account, flags)));
}
