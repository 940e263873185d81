/** Builds a simulated Zimbra host in a folder: layout, directory, localconfig, Postfix files, executables. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CannotWriteError } from '../../errors.js';
import { zimbraPaths, type SandboxVersion } from '../../zimbra/paths.js';
import { randomUUID } from 'node:crypto';
import { ldapSlmCf, writeApacheLayout } from './apache-layout.js';
import { seedIncident, type IncidentSummary } from './incident.js';
import { generalizedTime, seedDirectory } from './ldap/seed.js';
import { formatLocalConfig, initialLocalConfig, LOCALCONFIG } from './localconfig.js';
import { baseMainCf } from './postfix/base-main-cf.js';
import { ensureQueueDirs } from './queue/store.js';
import { APACHE_PID, rewriteConfig, type HostRef } from './services.js';
import { ldapRootOf, readLdapSync, readMetaSync, STATE_DIR, withLdapLockSync, writeLdapSync, writeMetaSync, writeServicesSync, type ServicesState } from './state.js';
import { TOOL_NAMES, toolPath } from './tool-paths.js';
import { isSandboxVersion, since, versionProfile, type VersionProfile } from './versions.js';
import { INDEX_PHP, STOCK_CONFIG_PHP } from './webui.js';

export interface SandboxOptions {
  version: SandboxVersion;
  domains: string[];
  /** Local parts of the user accounts created in every domain. */
  accountsPerDomain?: string[];
  /** 7.x/8.0 only: install the community copy of the cbpolicyd web UI at the manual path. */
  webui?: boolean;
  /** Publish the web UI in Apache's docroot (`htdocs/webui` symlink); default: wherever a web UI is installed. */
  publishWebui?: boolean;
  /** Zimbra's PHP lists pdo_sqlite in `php -m` (default true; unverified on real releases). */
  phpPdoSqlite?: boolean;
  /** Fill the mail log and queue with a stolen account relaying spam (default account: the second one). */
  incident?: { account?: string; queued?: number };
  /** Server name (default mail.<first domain>). */
  hostname?: string;
}

/** An MTA-only node (zimbra-core and zimbra-mta: no mailbox, LDAP, logger nor Apache) added to another sandbox's install. */
export interface MtaNodeOptions {
  /** The sandbox holding the install's directory (its first server). */
  join: string;
  /** Server name (default mta.<the install's default domain>). */
  hostname?: string;
}

export interface SandboxInfo {
  root: string;
  version: SandboxVersion;
  hostname: string;
  domains: string[];
  /** User accounts, local@domain. */
  accounts: string[];
  /** Accounts the installer created (spam/ham training, virus quarantine, GAL sync); `zmprov gaa` lists them too. */
  systemAccounts: string[];
  /** What `incident` put in the log and the queue. */
  incident?: IncidentSummary;
}

export const DEFAULT_LOCAL_PARTS = ['admin', 'alice', 'bob', 'carol', 'dave', 'erin'];

/** The package root: the nearest folder above this module holding package.json. */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the zimbra-harden package root (no package.json above the sandbox module)');
    dir = parent;
  }
}

export function sandboxToolScript(): string {
  const script = path.join(packageRoot(), 'dist', 'sandbox-tool.js');
  if (!fs.existsSync(script)) throw new Error(`the simulated Zimbra tools are not built: ${script} is missing (run \`npm run build\`)`);
  return script;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function wrapperScript(tool: string, toolScript: string): string {
  return `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(toolScript)} ${tool} "$0" "$@"\n`;
}

function write(root: string, serverPath: string, content: string, mode = 0o644): void {
  const file = path.join(root, serverPath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
}

function httpdConf(profile: VersionProfile): string {
  const paths = zimbraPaths(profile);
  const modern = profile.major > 8 || (profile.major === 8 && profile.minor >= 7);
  const access = modern ? '    Require all granted' : '    Order allow,deny\n    Allow from all';
  return [
    `ServerRoot "${modern ? '/opt/zimbra/common' : '/opt/zimbra/httpd'}"`,
    'Listen 7780',
    'User zimbra',
    'Group zimbra',
    `DocumentRoot "${paths.apacheDocroot}"`,
    `<Directory "${paths.apacheDocroot}">`,
    '    Options -Indexes +FollowSymLinks',
    '    AllowOverride None',
    access,
    '</Directory>',
    'ErrorLog "/opt/zimbra/log/httpd_error.log"',
    'PidFile "/opt/zimbra/log/httpd.pid"',
    '',
  ].join('\n');
}

function layout(root: string, profile: VersionProfile, webui: boolean, apache = true): void {
  const paths = zimbraPaths(profile);
  const dirs = [
    '/opt/zimbra/bin',
    '/opt/zimbra/conf',
    '/opt/zimbra/log',
    '/opt/zimbra/libexec',
    '/opt/zimbra/lib',
    '/opt/zimbra/db',
    '/opt/zimbra/store',
    '/opt/zimbra/index',
    '/opt/zimbra/redolog',
    '/opt/zimbra/data/tmp',
    '/opt/zimbra/data/postfix/spool',
    '/opt/zimbra/data/cbpolicyd',
    '/opt/zimbra/zimbramon',
    path.dirname(paths.postfixMainCf),
    path.dirname(paths.postconf),
    paths.apacheDocroot,
    '/var/log',
    '/etc/cron.d',
  ];
  for (const dir of dirs) fs.mkdirSync(path.join(root, dir), { recursive: true });
  if (profile.cbpolicydVersionedDir) {
    fs.mkdirSync(path.join(root, profile.cbpolicydVersionedDir, 'share', 'database'), { recursive: true });
    fs.symlinkSync(path.basename(profile.cbpolicydVersionedDir), path.join(root, '/opt/zimbra/cbpolicyd'));
  } else {
    fs.mkdirSync(path.join(root, '/opt/zimbra/common/share/database'), { recursive: true });
  }
  const webuiDir = paths.webuiDir ?? (webui ? paths.webuiManualDir : undefined);
  if (webuiDir) {
    write(root, `${webuiDir}/includes/config.php`, STOCK_CONFIG_PHP);
    write(root, `${webuiDir}/index.php`, INDEX_PHP);
  }
  if (apache) write(root, paths.httpdConf, httpdConf(profile));
  write(root, paths.mailLog, '');
  write(root, '/opt/zimbra/log/cbpolicyd.log', '');
}

/** Creates a simulated ZCS host in dir (which must be missing or empty). */
export async function createSandbox(dir: string, options: SandboxOptions): Promise<SandboxInfo> {
  if (!isSandboxVersion(options.version)) throw new Error(`unsupported simulated ZCS version: ${String(options.version)}`);
  const domains = options.domains.map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  if (domains.length === 0) throw new Error('a sandbox needs at least one mail domain');
  const root = path.resolve(dir);
  const toolScript = sandboxToolScript();
  const profile = versionProfile(options.version);
  const hostname = options.hostname?.toLowerCase() ?? `mail.${domains[0]}`;
  const webui = options.webui === true && zimbraPaths(profile).webuiDir === undefined;

  emptyFolder(root);
  fs.mkdirSync(path.join(root, STATE_DIR), { recursive: true });
  layout(root, profile, webui);
  const webuiDir = zimbraPaths(profile).webuiDir ?? (webui ? zimbraPaths(profile).webuiManualDir : undefined);
  writeApacheLayout(root, profile, { hostname, webuiDir, publish: options.publishWebui ?? true, pdoSqlite: options.phpPdoSqlite ?? true });
  writeMetaSync(root, { version: options.version, hostname, createdAt: new Date().toISOString() });
  const seeded = seedDirectory({ profile, hostname, domains, localParts: options.accountsPerDomain ?? DEFAULT_LOCAL_PARTS, now: new Date() });
  writeLdapSync(root, seeded.state);
  write(root, LOCALCONFIG, formatLocalConfig(initialLocalConfig(profile, hostname, domains[0] as string)), 0o640);

  const services: ServicesState = { zmconfigd: true };
  for (const service of profile.services) services[service] = true;
  if (profile.services.includes('spell')) services.apache = true;
  writeServicesSync(root, services);
  if (services.apache) fs.writeFileSync(path.join(root, APACHE_PID), '4242\n');

  for (const tool of TOOL_NAMES) write(root, toolPath(tool, profile), wrapperScript(tool, toolScript), 0o755);
  finishMta(root, profile, hostname);

  const info: SandboxInfo = { root, version: options.version, hostname, domains, accounts: seeded.accounts, systemAccounts: seeded.systemAccounts };
  if (options.incident) {
    const account = options.incident.account ?? seeded.accounts[1] ?? (seeded.accounts[0] as string);
    info.incident = await seedIncident(root, info, { account, queued: options.incident.queued });
  }
  return info;
}

function emptyFolder(root: string): void {
  if (fs.existsSync(root) && (!fs.statSync(root).isDirectory() || fs.readdirSync(root).length > 0)) {
    throw new CannotWriteError(`refusing to create a sandbox in ${root}: it is not an empty folder (choose a new or empty one)`);
  }
}

/** What zmmtainit leaves on an MTA: main.cf/master.cf rendered from the directory, the queue, the sandbox's call log. */
function finishMta(root: string, profile: VersionProfile, hostname: string): void {
  const h: HostRef = { root, profile, hostname };
  write(root, zimbraPaths(profile).postfixMainCf, baseMainCf(profile, hostname));
  rewriteConfig(h, ['mta', 'cbpolicyd']);
  fs.writeFileSync(path.join(root, STATE_DIR, 'calls.log'), '');
  ensureQueueDirs(root);
}

/** The services the zimbra-core and zimbra-mta packages register on a node of their own. */
export function mtaNodeServices(profile: VersionProfile): string[] {
  const list = profile.major >= 8 ? ['amavis', 'antispam', 'antivirus', 'mta', 'opendkim', 'snmp', 'stats'] : ['antispam', 'antivirus', 'mta', 'snmp', 'stats'];
  return list.filter((s) => profile.services.includes(s));
}

/** Tools of zimbra-apache and zimbra-php, which an MTA-only node does not have. */
const APACHE_TOOLS: readonly string[] = ['apachectl', 'php'];

/**
 * Adds an MTA-only server to the multi-server install of another sandbox: its entry goes into that
 * sandbox's directory (one LDAP for every node, as on a real install), its files into DIR.
 */
export async function createMtaNode(dir: string, options: MtaNodeOptions): Promise<SandboxInfo> {
  const root = path.resolve(dir);
  const ldapRoot = ldapRootOf(path.resolve(options.join));
  const main = readMetaSync(ldapRoot);
  const profile = versionProfile(main.version);
  const ldap = readLdapSync(ldapRoot);
  const domains = Object.keys(ldap.domains);
  const defaultDomain = ldap.config.zimbraDefaultDomainName?.[0] ?? (domains[0] as string);
  const hostname = (options.hostname ?? `mta.${defaultDomain}`).toLowerCase();
  if (ldap.servers[hostname]) throw new Error(`the install of ${ldapRoot} already has a server named ${hostname}: give another hostname`);
  emptyFolder(root);
  const toolScript = sandboxToolScript();

  fs.mkdirSync(path.join(root, STATE_DIR), { recursive: true });
  layout(root, profile, false, false);
  writeMetaSync(root, { version: main.version, hostname, createdAt: new Date().toISOString(), ldapRoot });
  const services = mtaNodeServices(profile);
  withLdapLockSync(root, () => {
    const state = readLdapSync(root);
    const mailbox = main.hostname;
    state.servers[hostname] = {
      objectClass: ['zimbraServer'],
      cn: [hostname],
      zimbraId: [randomUUID()],
      zimbraCreateTimestamp: [generalizedTime(new Date())],
      zimbraServiceHostname: [hostname],
      zimbraServiceInstalled: [...services],
      zimbraServiceEnabled: [...services],
      zimbraMtaAuthHost: [mailbox],
      zimbraMtaAuthTarget: ['FALSE'],
      zimbraSmtpHostname: [hostname],
    };
    writeLdapSync(root, state);
  });
  const lc = initialLocalConfig(profile, hostname, defaultDomain);
  for (const key of ['ldap_url', 'ldap_master_url']) lc.set(key, `ldap://${main.hostname}:389`);
  lc.set('ldap_host', main.hostname);
  lc.set('ldap_is_master', 'false');
  write(root, LOCALCONFIG, formatLocalConfig(lc), 0o640);
  if (since(profile, '8.5.0')) write(root, '/opt/zimbra/conf/ldap-slm.cf', ldapSlmCf(main.hostname), 0o640);

  const running: ServicesState = { zmconfigd: true };
  for (const service of services) running[service] = true;
  writeServicesSync(root, running);
  for (const tool of TOOL_NAMES) if (!APACHE_TOOLS.includes(tool)) write(root, toolPath(tool, profile), wrapperScript(tool, toolScript), 0o755);
  finishMta(root, profile, hostname);
  return { root, version: main.version, hostname, domains, accounts: [], systemAccounts: [] };
}
