import { UserError } from '../errors.js';
import type { Host } from '../host/host.js';
import { listedNames } from '../zimbra/catch-all-candidates.js';
import { runZmprovBatch } from '../zimbra/zmprov-batch.js';

const DOMAIN = /^[a-z0-9.-]+\.[a-z0-9-]+$/;

/** The domain names in `zmprov gad` output, lower-cased; none is an error (the monitor needs them). */
function mailDomains(stdout: string): string[] {
  const domains = listedNames(stdout).map((l) => l.toLowerCase()).filter((l) => DOMAIN.test(l));
  if (domains.length === 0) throw new UserError('`zmprov -l gad` listed no domain (give them with --domains)');
  return domains;
}

/** The server's mail domains: one `zmprov -l gad` (LDAP, one JVM). */
export async function serverDomains(host: Host, zmprov: string): Promise<string[]> {
  const result = await host.exec(zmprov, ['-l', 'gad'], { user: 'zimbra', timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
    throw new UserError(`cannot list the mail domains: \`zmprov -l gad\` exited ${result.exitCode}${said ? `: ${said}` : ''} (or give them with --domains)`);
  }
  return mailDomains(result.stdout);
}

/**
 * The domains and the accounts, in one zmprov process (`gad`, `gaa`): the monitor names only
 * accounts that exist, whatever a log line claims as sender.
 */
export async function serverDirectory(host: Host, zmprov: string): Promise<{ domains: string[]; accounts: string[] }> {
  const batch = await runZmprovBatch(host, zmprov, [['gad'], ['gaa']]);
  const [gad, gaa] = batch.results;
  if (batch.exitCode !== 0 || !gad?.completed || !gaa?.completed || gad.errors.length > 0 || gaa.errors.length > 0) {
    const said = batch.stderr.trim().split('\n')[0] ?? '';
    throw new UserError(`cannot list the mail domains and accounts: \`zmprov -l gad gaa\` exited ${batch.exitCode}${said ? `: ${said}` : ''} (or give the domains with --domains)`);
  }
  const accounts = listedNames(gaa.stdout).map((l) => l.toLowerCase()).filter((l) => l.includes('@'));
  return { domains: mailDomains(gad.stdout), accounts };
}
