import { UserError } from '../errors.js';
import type { Host } from '../host/host.js';

/** The server's mail domains: one `zmprov -l gad` (LDAP, one JVM). */
export async function serverDomains(host: Host, zmprov: string): Promise<string[]> {
  const result = await host.exec(zmprov, ['-l', 'gad'], { user: 'zimbra', timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
    throw new UserError(`cannot list the mail domains: \`zmprov -l gad\` exited ${result.exitCode}${said ? `: ${said}` : ''} (or give them with --domains)`);
  }
  const domains = result.stdout
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(l));
  if (domains.length === 0) throw new UserError('`zmprov -l gad` listed no domain (give them with --domains)');
  return domains;
}
