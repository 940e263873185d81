import { UserError } from '../errors.js';
import type { ReadHost } from '../host/host.js';
import { readLocalconfig } from '../zimbra/localconfig.js';
import { COMMON_PATHS, zimbraPaths } from '../zimbra/paths.js';
import { parseZmcontrolVersion } from '../zimbra/version.js';
import type { ServerEnv } from './types.js';

const ZMCONTROL = COMMON_PATHS.zmcontrol;
const LOCALCONFIG = COMMON_PATHS.localconfigXml;

/** Finds the Zimbra version, hostname and paths: one `zmcontrol -v`, one file read, no zmprov. */
export async function detectServer(host: ReadHost): Promise<ServerEnv> {
  const { hostname, localconfig } = await findZimbra(host);
  const result = await host.exec(ZMCONTROL, ['-v'], { user: 'zimbra' });
  const version = parseZmcontrolVersion(result.stdout);
  if (result.exitCode !== 0 || !version) {
    const said = (result.stderr || result.stdout).trim().split('\n')[0] ?? '';
    throw new UserError(`cannot tell the Zimbra version: \`zmcontrol -v\` exited ${result.exitCode}${said ? `: ${said}` : ''}`);
  }
  return { version, hostname, paths: zimbraPaths(version), mtaServers: [], localconfig };
}

/**
 * That Zimbra is installed (zmcontrol and localconfig.xml are there) and the server's name, without
 * its version: what needs no version-dependent path (the log monitor: the logs and zmprov are where
 * every release has them) starts no `zmcontrol -v` (Perl asking the package manager) on each run.
 */
export async function findZimbra(host: ReadHost): Promise<{ hostname: string; localconfig: Record<string, string> }> {
  checkUser(host);
  const where = host.simulated ? ` under ${host.root}` : '';
  if (!(await host.stat(ZMCONTROL))?.isFile) {
    throw new UserError(`no Zimbra found${where}: ${ZMCONTROL} does not exist (on a test machine, try: zimbra-harden sandbox create DIR, then --root DIR)`);
  }
  const localconfig = await readLocalconfig(host, LOCALCONFIG);
  const hostname = localconfig?.zimbra_server_hostname;
  if (!localconfig || !hostname) {
    throw new UserError(`no Zimbra found${where}: ${LOCALCONFIG} is missing or has no zimbra_server_hostname`);
  }
  return { hostname, localconfig };
}

function checkUser(host: ReadHost): void {
  if (host.simulated) return; // a simulated server belongs to whoever created it
  const user = host.currentUser();
  if (user !== 'root' && user !== 'zimbra') {
    throw new UserError(`zimbra-harden must run as root or zimbra (running as ${user}); try: sudo zimbra-harden …`);
  }
}
