/**
 * Persistent state of a simulated Zimbra host, under DIR/.sandbox/:
 *   sandbox.json  – what was created (version, hostname)
 *   ldap.json     – the directory: global config, default COS, servers, domains, accounts
 *   services.json – which services are running
 * Every write goes through a temporary file renamed over the target.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxVersion } from '../../zimbra/paths.js';

/** Attribute name → values (every attribute is stored multi-valued-capable). */
export type Attrs = Record<string, string[]>;

export interface LdapState {
  config: Attrs;
  cos: Record<string, Attrs>;
  /** Keyed by server name (its zimbraServiceHostname / cn). */
  servers: Record<string, Attrs>;
  /** Keyed by lower-case domain name. */
  domains: Record<string, Attrs>;
  /** Keyed by lower-case primary address. */
  accounts: Record<string, Attrs>;
}

export interface SandboxMeta {
  version: SandboxVersion;
  hostname: string;
  createdAt: string;
  /** Another node of a multi-server install: the sandbox whose directory (LDAP) this host shares. */
  ldapRoot?: string;
}

/** Service name → running. */
export type ServicesState = Record<string, boolean>;

export const STATE_DIR = '.sandbox';

export function statePath(root: string, name: string): string {
  return path.join(root, STATE_DIR, name);
}

export function writeFileAtomicSync(file: string, content: string, mode = 0o644): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  fs.writeFileSync(temp, content, { mode, flag: 'wx' });
  try {
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function readJsonSync<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

function writeJsonSync(file: string, value: unknown): void {
  writeFileAtomicSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function readMetaSync(root: string): SandboxMeta {
  return readJsonSync<SandboxMeta>(statePath(root, 'sandbox.json'));
}

export function writeMetaSync(root: string, meta: SandboxMeta): void {
  writeJsonSync(statePath(root, 'sandbox.json'), meta);
}

/** Where this host's directory lives: its own state folder, or the LDAP server's in a multi-server install. */
export function ldapRootOf(root: string): string {
  return readMetaSync(root).ldapRoot ?? root;
}

export function readLdapSync(root: string): LdapState {
  return readJsonSync<LdapState>(statePath(ldapRootOf(root), 'ldap.json'));
}

export function writeLdapSync(root: string, state: LdapState): void {
  writeJsonSync(statePath(ldapRootOf(root), 'ldap.json'), state);
}

/** Read-modify-write of the directory, under the lock of the sandbox that holds it (shared by every node). */
export function withLdapLockSync<T>(root: string, fn: () => T): T {
  return withLockSync(ldapRootOf(root), fn);
}

export function readServicesSync(root: string): ServicesState {
  return readJsonSync<ServicesState>(statePath(root, 'services.json'));
}

export function writeServicesSync(root: string, state: ServicesState): void {
  writeJsonSync(statePath(root, 'services.json'), state);
}

/** For tests: the directory as the simulated tools see it. */
export async function readLdap(root: string): Promise<LdapState> {
  return readLdapSync(root);
}

/** For tests: replaces the directory (atomically). */
export async function writeLdap(root: string, state: LdapState): Promise<void> {
  writeLdapSync(root, state);
}

export async function readServices(root: string): Promise<ServicesState> {
  return readServicesSync(root);
}

export async function writeServices(root: string, state: ServicesState): Promise<void> {
  writeServicesSync(root, state);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs fn while holding DIR/.sandbox/lock (a directory: mkdir is atomic), so that concurrent
 * simulated commands do not lose each other's read-modify-write updates.
 */
export function withLockSync<T>(root: string, fn: () => T): T {
  const lock = statePath(root, 'lock');
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // vanished meanwhile
      }
      if (Date.now() > deadline) throw new Error(`sandbox state is locked: ${lock}`);
      sleepSync(5);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
