/** Shared machinery of the zmprov commands: sessions, argument errors, lookups, modifications. */
import { createHash, randomBytes } from 'node:crypto';
import {
  accountAttrs,
  applyModifications,
  findAccountKey,
  findDomainKey,
  findServerKey,
  noSuchAccount,
  noSuchDomain,
  noSuchServer,
  parseModifications,
  ServiceError,
  type Modification,
} from '../../ldap/directory.js';
import { attrDef, type AttrClass } from '../../ldap/attributes.js';
import { readLocalConfigSync } from '../../localconfig.js';
import { readLdapSync, withLdapLockSync, writeLdapSync, type Attrs, type LdapState } from '../../state.js';
import { since } from '../../versions.js';
import type { ToolContext } from '../context.js';

/** Wrong arguments for a command: zmprov prints the command's usage. */
export class ArgError extends Error {}
/** The safeguard fired: zmprov exits 2 at once, even in batch mode. */
export class SafeguardExit extends Error {}

export interface Session {
  ctx: ToolContext;
  allowReplace: boolean;
}

export interface Command {
  name: string;
  alias: string;
  help: string;
  min: number;
  max: number;
  run(s: Session, args: string[]): void;
}

export const MAX = Number.MAX_SAFE_INTEGER;

export function read(s: Session): LdapState {
  return readLdapSync(s.ctx.root);
}

export function modify(s: Session, fn: (state: LdapState) => void): void {
  withLdapLockSync(s.ctx.root, () => {
    const state = read(s);
    fn(state);
    writeLdapSync(s.ctx.root, state);
  });
}

/** ProvUtil.keyValueArrayToMultiMap: pairs, plus the 8.0+ safeguard on service attributes. */
export function attrMods(s: Session, args: string[], isCreate: boolean): Modification[] {
  let mods: Modification[];
  try {
    mods = parseModifications(args);
  } catch {
    throw new ArgError('not enough arguments');
  }
  if (!since(s.ctx.profile, '8.0.0') || s.allowReplace || isCreate) return mods;
  const guarded = (readLocalConfigSync(s.ctx.root).get('zmprov_safeguarded_attrs') ?? 'zimbraServiceEnabled,zimbraServiceInstalled')
    .split(',')
    .map((a) => a.trim().toLowerCase());
  const counts = new Map<string, number>();
  for (const mod of mods) {
    const key = mod.name.toLowerCase();
    if (mod.op === '=' && guarded.includes(key) && attrDef(key)?.multi) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if ([...counts.values()].includes(1)) {
    s.ctx.err('error: cannot replace multi-valued attr value unless -r is specified\n');
    throw new SafeguardExit();
  }
  return mods;
}

export function modifyEntry(s: Session, args: string[], klass: AttrClass, locate: (state: LdapState) => Attrs): void {
  locate(read(s)); // lookup errors come before argument checks, as in ProvUtil
  const mods = attrMods(s, args, false);
  modify(s, (state) => {
    const entry = locate(state);
    const next = applyModifications(entry, mods, klass, s.ctx.profile);
    for (const key of Object.keys(entry)) delete entry[key];
    Object.assign(entry, next);
  });
}

/** `ma`, `ms`, `md`: the same command on another kind of entry, found by name or id. */
export function modifyCommand(name: string, alias: string, target: string, klass: AttrClass, lookup: (state: LdapState, key: string) => Attrs): Command {
  return {
    name,
    alias,
    help: `{${target}} [attr1 value1 [attr2 value2...]]`,
    min: 3,
    max: MAX,
    run(s, args) {
      const key = args[1] as string;
      modifyEntry(s, args.slice(2), klass, (state) => lookup(state, key));
    },
  };
}

/** Leading `-e`: only the entry's own attributes (not supported by 7.x). */
export function splitExpand(s: Session, args: string[]): { applyDefault: boolean; rest: string[] } {
  let i = 0;
  let applyDefault = true;
  if (since(s.ctx.profile, '8.0.0')) {
    while (args[i] === '-e') {
      applyDefault = false;
      i++;
    }
  }
  return { applyDefault, rest: args.slice(i) };
}

export function accountOrThrow(state: LdapState, key: string): string {
  const found = findAccountKey(state, key);
  if (!found) throw noSuchAccount(key);
  return found;
}
export function serverOrThrow(state: LdapState, key: string): string {
  const found = findServerKey(state, key);
  if (!found) throw noSuchServer(key);
  return found;
}
export function domainOrThrow(state: LdapState, key: string): string {
  const found = findDomainKey(state, key);
  if (!found) throw noSuchDomain(key);
  return found;
}

export function hashPassword(s: Session, password: string): string {
  const salt = randomBytes(8);
  const algo = since(s.ctx.profile, '8.7.0') ? 'sha512' : 'sha1';
  const digest = createHash(algo).update(password).update(salt).digest();
  return `{${algo === 'sha512' ? 'SSHA512' : 'SSHA'}}${Buffer.concat([digest, salt]).toString('base64')}`;
}

export function checkPassword(state: LdapState, account: string, password: string): void {
  const min = Number(accountAttrs(state, account, true).zimbraPasswordMinLength?.[0] ?? '6');
  if (password.length < min) throw new ServiceError('account.INVALID_PASSWORD', 'invalid password: too short');
}

export function takeFlags(args: string[], allowed: string[]): { flags: Set<string>; rest: string[] } {
  const flags = new Set<string>();
  let i = 0;
  while (i < args.length && allowed.includes(args[i] as string)) flags.add(args[i++] as string);
  return { flags, rest: args.slice(i) };
}
