import type { Command } from 'commander';
import { SANDBOX_VERSIONS } from '../zimbra/paths.js';
import type { Context } from './context.js';

export interface SandboxFlags {
  zimbraVersion: string;
  domains: string;
  webui?: boolean;
  incident?: boolean;
  hostname?: string;
  join?: string;
}

export function registerSandbox(program: Command, run: (fn: (ctx: Context) => Promise<number>) => Promise<void>): void {
  const sandbox = program.command('sandbox').description('a simulated Zimbra host for trying zimbra-harden safely');
  sandbox
    .command('create <dir>')
    .description('build a directory laid out and behaving like a Zimbra server')
    .option('--zimbra-version <version>', `ZCS release to simulate (${SANDBOX_VERSIONS.join(', ')})`, '8.8.15')
    .option('--domains <list>', 'comma-separated mail domains', 'a.example,b.example')
    .option('--webui', 'on 7.x/8.0, also install the cbpolicyd web UI by hand as the community wiki does')
    .option('--hostname <name>', 'server name (default mail.<first domain>; with --join, mta.<default domain>)')
    .option('--join <dir>', 'add an MTA-only node (zimbra-mta: no mailbox, LDAP nor Apache) to the multi-server install of sandbox DIR; it shares that directory (LDAP)')
    .option('--incident', 'fill /var/log/zimbra.log with six hours of ordinary traffic and, in the last hour, a stolen account relaying spam with forged senders')
    .action((dir: string, flags: SandboxFlags) => run(async (ctx) => (await import('./sandbox.js')).runSandboxCreate(ctx, dir, flags)));
}
