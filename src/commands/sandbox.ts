import type { Command } from 'commander';
import { SANDBOX_VERSIONS, type SandboxVersion } from '../zimbra/paths.js';
import { UsageError } from '../errors.js';
import { isDomainName } from '../core/names.js';
import type { Context } from './context.js';

export interface SandboxFlags {
  zimbraVersion: string;
  domains: string;
  webui?: boolean;
}

export async function runSandboxCreate(ctx: Context, dir: string, flags: SandboxFlags): Promise<number> {
  if (!(SANDBOX_VERSIONS as readonly string[]).includes(flags.zimbraVersion)) {
    throw new UsageError(`--zimbra-version ${flags.zimbraVersion}: choose one of ${SANDBOX_VERSIONS.join(', ')}`);
  }
  const domains = flags.domains.split(',').map((d) => d.trim()).filter(Boolean);
  const bad = domains.find((d) => !isDomainName(d));
  if (bad !== undefined || domains.length === 0) throw new UsageError(`--domains: ${JSON.stringify(bad ?? flags.domains)} is not a domain name`);
  const { createSandbox } = await import('../sandbox/create.js');
  const info = await createSandbox(dir, { version: flags.zimbraVersion as SandboxVersion, domains, webui: flags.webui });
  ctx.out.event('sandbox', { ...info });
  ctx.out.line(`Simulated ZCS ${info.version} host ${info.hostname} created in ${info.root}`);
  ctx.out.line(`Domains: ${info.domains.join(', ')}; ${info.accounts.length} accounts.`);
  ctx.out.line(`Try: zimbra-harden --root ${info.root} audit`);
  return 0;
}

export function registerSandbox(program: Command, run: (fn: (ctx: Context) => Promise<number>) => Promise<void>): void {
  const sandbox = program.command('sandbox').description('a simulated Zimbra host for trying zimbra-harden safely');
  sandbox
    .command('create <dir>')
    .description('build a directory laid out and behaving like a Zimbra server')
    .option('--zimbra-version <version>', `ZCS release to simulate (${SANDBOX_VERSIONS.join(', ')})`, '8.8.15')
    .option('--domains <list>', 'comma-separated mail domains', 'a.example,b.example')
    .option('--webui', 'on 7.x/8.0, also install the cbpolicyd web UI by hand as the community wiki does')
    .action((dir: string, flags: SandboxFlags) => run((ctx) => runSandboxCreate(ctx, dir, flags)));
}
