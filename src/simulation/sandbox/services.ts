/** Service lifecycle shared by zmcontrol, zmmtactl and zmcbpolicydctl, and zmconfigd's rewrites. */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createPolicyDatabase, policySchemaSql } from '../cbpolicyd-schema.js';
import { zimbraPaths } from '../../zimbra/paths.js';
import { serverAttrs } from './ldap/directory.js';
import { expandValue, readLocalConfigSync, type LocalConfig } from './localconfig.js';
import { editMainCf } from './postfix/main-cf.js';
import { renderMasterCf } from './postfix/master-cf.js';
import { renderCbpolicydConf, renderSection, type RenderContext, type Section } from './postfix/render.js';
import { readLdapSync, readServicesSync, withLockSync, writeFileAtomicSync, writeServicesSync, type LdapState } from './state.js';
import { since, type VersionProfile } from './versions.js';

export interface HostRef {
  root: string;
  profile: VersionProfile;
  hostname: string;
}

const hostPath = (h: HostRef, p: string) => path.join(h.root, p);

export function renderContext(h: HostRef, ldap: LdapState = readLdapSync(h.root), lc: LocalConfig = readLocalConfigSync(h.root)): RenderContext {
  return { profile: h.profile, hostname: h.hostname, ldap, lc };
}

/** zmconfigd `configrewrite <sections>`: writes what those sections own into main.cf (and master.cf, cbpolicyd.conf). */
export function rewriteConfig(h: HostRef, sections: readonly Section[]): void {
  const ctx = renderContext(h);
  const paths = zimbraPaths(h.profile);
  const mainCf = hostPath(h, paths.postfixMainCf);
  const updates = new Map<string, string>();
  for (const section of sections) for (const [k, v] of renderSection(ctx, section)) updates.set(k, v);
  const current = fs.existsSync(mainCf) ? fs.readFileSync(mainCf, 'utf8') : '';
  writeFileAtomicSync(mainCf, editMainCf(current, updates));
  if (sections.includes('mta')) {
    const enabled = serverAttrs(ctx.ldap, h.hostname, h.profile, true).zimbraServiceEnabled ?? [];
    writeFileAtomicSync(hostPath(h, paths.postfixMasterCf), renderMasterCf(h.profile, enabled));
  }
  if (sections.includes('cbpolicyd')) writeFileAtomicSync(hostPath(h, '/opt/zimbra/conf/cbpolicyd.conf'), renderCbpolicydConf(ctx));
}

export function isRunning(h: HostRef, service: string): boolean {
  return readServicesSync(h.root)[service] === true;
}

export function setRunning(h: HostRef, service: string, running: boolean): void {
  withLockSync(h.root, () => {
    const services = readServicesSync(h.root);
    services[service] = running;
    writeServicesSync(h.root, services);
  });
}

export function enabledServices(h: HostRef): string[] {
  return serverAttrs(readLdapSync(h.root), h.hostname, h.profile, true).zimbraServiceEnabled ?? [];
}

export function cbpolicydDaemon(h: HostRef): string {
  return `${h.profile.cbpolicydHome}/bin/cbpolicyd`;
}

export function policyDbPath(h: HostRef): string {
  const lc = readLocalConfigSync(h.root);
  return expandValue(lc, lc.get('cbpolicyd_db_file') ?? zimbraPaths(h.profile).policyDb);
}

/** zmcbpolicydinit: builds the SQLite DB (and its .sq3 script); returns the lines it prints. */
export function initPolicyDb(h: HostRef): string {
  const dbFile = hostPath(h, policyDbPath(h));
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  let out = 'Converting policyd database templates to sqlite...';
  writeFileAtomicSync(`${dbFile}.sq3`, policySchemaSql());
  out += 'done.\nCreating sqlite database...';
  const seed = since(h.profile, '8.8.8');
  const ldap = readLdapSync(h.root);
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(dbFile);
  try {
    const value = (attrs: Record<string, string[]>) => {
      const v = attrs.zimbraMtaMyNetworks;
      return v && v.length > 0 ? v.join('\n') : undefined;
    };
    createPolicyDatabase(db, {
      domains: Object.keys(ldap.domains),
      myNetworks: { global: value(ldap.config), server: value(serverAttrs(ldap, h.hostname, h.profile, true)) },
      seedInternal: seed,
    });
  } finally {
    db.close();
  }
  out += 'done.\n';
  if (seed) out += 'Adding Domains...done.\nAdding subnets from Mynetworks global...done.\nAdding subnets from Mynetworks server...done.\n';
  return out;
}

/** zmcbpolicydctl start (without the "Starting policyd..." framing): returns [exit code, output]. */
export function startCbpolicyd(h: HostRef, rewrite: boolean): [number, string] {
  let out = '';
  fs.mkdirSync(hostPath(h, '/opt/zimbra/data/cbpolicyd/db'), { recursive: true });
  if (!fs.existsSync(hostPath(h, policyDbPath(h)))) out += initPolicyDb(h);
  if (rewrite) rewriteConfig(h, ['cbpolicyd']);
  const lc = readLocalConfigSync(h.root);
  const pidFile = hostPath(h, expandValue(lc, lc.get('cbpolicyd_pid_file') ?? '/opt/zimbra/log/cbpolicyd.pid'));
  const logFile = hostPath(h, expandValue(lc, lc.get('cbpolicyd_log_file') ?? '/opt/zimbra/log/cbpolicyd.log'));
  fs.mkdirSync(path.dirname(pidFile), { recursive: true });
  fs.writeFileSync(pidFile, `${10000 + Math.floor(Math.random() * 50000)}\n`);
  fs.appendFileSync(logFile, `[${new Date().toISOString().replace('T', ' ').slice(0, 19)} - 0] [CORE] NOTICE: Policy Server Starting\n`);
  setRunning(h, 'cbpolicyd', true);
  return [0, out];
}

export function stopCbpolicyd(h: HostRef): void {
  const lc = readLocalConfigSync(h.root);
  fs.rmSync(hostPath(h, expandValue(lc, lc.get('cbpolicyd_pid_file') ?? '/opt/zimbra/log/cbpolicyd.pid')), { force: true });
  setRunning(h, 'cbpolicyd', false);
}

export function cbpolicydInstalled(h: HostRef): boolean {
  return fs.existsSync(hostPath(h, cbpolicydDaemon(h)));
}

/** Apache writes its pid file when it starts (PidFile in httpd.conf); its mtime is the start time audit compares httpd.conf with. */
export const APACHE_PID = '/opt/zimbra/log/httpd.pid';

export function setApacheRunning(h: Pick<HostRef, 'root'>, running: boolean): void {
  const pidFile = path.join(h.root, APACHE_PID);
  if (running) {
    fs.mkdirSync(path.dirname(pidFile), { recursive: true });
    fs.writeFileSync(pidFile, `${10000 + Math.floor(Math.random() * 50000)}\n`);
  } else fs.rmSync(pidFile, { force: true });
  setRunning(h as HostRef, 'apache', running);
}
