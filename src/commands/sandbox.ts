import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { COMMON_PATHS, SANDBOX_VERSIONS, type SandboxVersion } from '../zimbra/paths.js';
import { UsageError } from '../errors.js';
import { isDomainName } from '../zimbra/names.js';
import type { Context } from './context.js';
import type { SandboxFlags } from './sandbox-command.js';
import { suggestCommand } from '../ui/suggest.js';

/** The demo's story: ordinary traffic, then one account whose password was stolen, and its spam still queued. */
async function writeIncident(info: { root: string; hostname: string; domains: string[]; accounts: string[] }): Promise<string> {
  const { seedIncident } = await import('../simulation/sandbox/incident.js');
  const compromised = info.accounts.find((a) => a.startsWith('carol@')) ?? info.accounts[0]!;
  return (await seedIncident(info.root, info, { account: compromised })).account;
}

export async function runSandboxCreate(ctx: Context, dir: string, flags: SandboxFlags): Promise<number> {
  if (flags.hostname !== undefined && !isDomainName(flags.hostname)) throw new UsageError(`--hostname ${JSON.stringify(flags.hostname)}: expected a host name such as mta2.example.com`);
  if (flags.join !== undefined) return createNode(ctx, dir, flags, flags.join);
  if (!(SANDBOX_VERSIONS as readonly string[]).includes(flags.zimbraVersion)) {
    throw new UsageError(`--zimbra-version ${flags.zimbraVersion}: choose one of ${SANDBOX_VERSIONS.join(', ')}`);
  }
  const domains = flags.domains.split(',').map((d) => d.trim()).filter(Boolean);
  const bad = domains.find((d) => !isDomainName(d));
  if (bad !== undefined || domains.length === 0) throw new UsageError(`--domains: ${JSON.stringify(bad ?? flags.domains)} is not a domain name`);
  const { createSandbox } = await import('../simulation/sandbox/create.js');
  const info = await createSandbox(dir, { version: flags.zimbraVersion as SandboxVersion, domains, webui: flags.webui, hostname: flags.hostname });
  const incident = flags.incident ? await writeIncident(info) : undefined;
  ctx.out.event('sandbox', { ...info, compromised: incident });
  ctx.out.line(`Simulated ZCS ${info.version} host ${info.hostname} created in ${info.root}`);
  ctx.out.line(`Domains: ${info.domains.join(', ')}; ${info.accounts.length} accounts.`);
  if (incident) ctx.out.line(`${COMMON_PATHS.mailLog} holds ordinary traffic and, in the last hour, ${incident} relaying spam (find it: ${suggestCommand(info.root, 'monitor --no-mail')}); the queue still holds some of it (${suggestCommand(info.root, 'incident --no-blocklists')}).`);
  ctx.out.line(`Try: ${suggestCommand(info.root, 'audit')}`);
  return 0;
}

async function createNode(ctx: Context, dir: string, flags: SandboxFlags, join: string): Promise<number> {
  if (flags.incident || flags.webui) throw new UsageError(`--join: an MTA-only node takes neither ${flags.incident ? '--incident' : '--webui'}`);
  if (!existsSync(path.join(join, '.sandbox', 'sandbox.json'))) throw new UsageError(`--join ${join}: not a sandbox (create one first: zimbra-harden sandbox create ${join})`);
  const { createMtaNode } = await import('../simulation/sandbox/create.js');
  const { ldapRootOf, readLdapSync } = await import('../simulation/sandbox/state.js');
  const ldapRoot = ldapRootOf(path.resolve(join));
  if (flags.hostname !== undefined && readLdapSync(ldapRoot).servers[flags.hostname.toLowerCase()]) {
    throw new UsageError(`--hostname ${flags.hostname}: the install of ${ldapRoot} already has this server`);
  }
  const info = await createMtaNode(dir, { join, hostname: flags.hostname });
  ctx.out.event('sandbox', { ...info, joined: path.resolve(join) });
  ctx.out.line(`Simulated ZCS ${info.version} MTA-only node ${info.hostname} created in ${info.root}, sharing the directory of ${path.resolve(join)}`);
  ctx.out.line(`Try: ${suggestCommand(info.root, 'audit')}`);
  return 0;
}
