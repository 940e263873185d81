/** Lookups and modifications on the simulated directory, with Zimbra's error codes. */
import type { Attrs, LdapState } from '../state.js';
import { since, type VersionProfile } from '../versions.js';
import { attrDef, type AttrClass, type AttrDef } from './attributes.js';

/** A Zimbra ServiceException: printed as `ERROR: <code> (<message>)`. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export const noSuchAccount = (name: string) => new ServiceError('account.NO_SUCH_ACCOUNT', `no such account: ${name}`);
export const noSuchDomain = (name: string) => new ServiceError('account.NO_SUCH_DOMAIN', `no such domain: ${name}`);
export const noSuchServer = (name: string) => new ServiceError('account.NO_SUCH_SERVER', `no such server: ${name}`);
const invalidValue = (message: string) => new ServiceError('account.INVALID_ATTR_VALUE', `invalid attr value: ${message}`);

/** The attribute as the simulated release knows it, or undefined (unknown or newer than the release). */
export function knownAttr(profile: VersionProfile, name: string): AttrDef | undefined {
  const def = attrDef(name);
  if (!def) return undefined;
  if (def.since && !since(profile, def.since)) return undefined;
  return def;
}

export function first(attrs: Attrs | undefined, name: string): string | undefined {
  return attrs?.[name]?.[0];
}

export function findAccountKey(state: LdapState, key: string): string | undefined {
  const lower = key.toLowerCase();
  if (state.accounts[lower]) return lower;
  for (const [name, attrs] of Object.entries(state.accounts)) {
    if (first(attrs, 'zimbraId') === key) return name;
    if ((attrs.zimbraMailAlias ?? []).some((alias) => alias.toLowerCase() === lower)) return name;
  }
  return undefined;
}

export function findServerKey(state: LdapState, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const [name, attrs] of Object.entries(state.servers)) {
    if (name.toLowerCase() === lower || first(attrs, 'zimbraId') === key) return name;
  }
  return undefined;
}

export function findDomainKey(state: LdapState, key: string): string | undefined {
  const lower = key.toLowerCase();
  if (state.domains[lower]) return lower;
  for (const [name, attrs] of Object.entries(state.domains)) {
    if (first(attrs, 'zimbraId') === key) return name;
  }
  return undefined;
}

/** Server attributes; with applyDefault, plus the global config values of serverInherited attributes it does not set. */
export function serverAttrs(state: LdapState, serverKey: string, profile: VersionProfile, applyDefault: boolean): Attrs {
  const own = state.servers[serverKey] ?? {};
  if (!applyDefault) return { ...own };
  const result: Attrs = {};
  for (const [name, values] of Object.entries(state.config)) {
    if (knownAttr(profile, name)?.serverInherited) result[name] = values;
  }
  return { ...result, ...own };
}

/** Account attributes; with applyDefault, plus those of its class of service it does not set. */
export function accountAttrs(state: LdapState, accountKey: string, applyDefault: boolean): Attrs {
  const own = state.accounts[accountKey] ?? {};
  if (!applyDefault) return { ...own };
  const cosId = first(own, 'zimbraCOSId');
  const cos = Object.values(state.cos).find((c) => first(c, 'zimbraId') === cosId) ?? state.cos.default ?? {};
  const result: Attrs = {};
  for (const [name, values] of Object.entries(cos)) {
    if (attrDef(name)?.on.includes('account')) result[name] = values;
  }
  return { ...result, ...own };
}

export interface Modification {
  op: '+' | '-' | '=';
  name: string;
  value: string;
}

/** Pairs `name value` arguments; `+name` adds, `-name` removes, plain replaces. */
export function parseModifications(args: readonly string[]): Modification[] {
  if (args.length % 2 !== 0) throw new RangeError('not enough arguments');
  const mods: Modification[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const raw = args[i] as string;
    const value = args[i + 1] as string;
    const op = raw.startsWith('+') ? '+' : raw.startsWith('-') ? '-' : '=';
    mods.push({ op, name: op === '=' ? raw : raw.slice(1), value });
  }
  return mods;
}

function checkValue(def: AttrDef, value: string): void {
  if (value === '') return;
  const n = def.name;
  switch (def.type) {
    case 'boolean':
      if (!/^(true|false)$/i.test(value)) throw invalidValue(`${n} must be TRUE or FALSE`);
      return;
    case 'enum':
      if (!(def.value ?? '').split(',').includes(value)) throw invalidValue(`${n} must be one of: ${def.value}`);
      return;
    case 'regex':
      if (!new RegExp(def.value ?? '').test(value)) throw invalidValue(`${n} must match the regex: ${def.value}`);
      return;
    case 'integer':
      if (!/^-?\d+$/.test(value)) throw invalidValue(`${n} must be a valid integer: ${value}`);
      return;
    case 'port':
      if (!/^\d+$/.test(value) || Number(value) > 65535) throw invalidValue(`${n} must be a valid port: ${value}`);
      return;
    case 'duration':
      if (!/^\d+([dhms]|ms)?$/.test(value)) throw invalidValue(`${n} must be a valid duration: ${value}`);
      return;
    case 'email':
      if (!/^[^@\s]*@[^@\s]+$/.test(value)) throw invalidValue(`${n} must be a valid email address: ${value}`);
      return;
    default:
      return;
  }
}

/**
 * Applies modifications to an entry's attributes (returns a new object), validating names,
 * object class, values and cardinality the way the server does before writing to LDAP.
 */
export function applyModifications(current: Attrs, mods: readonly Modification[], klass: AttrClass, profile: VersionProfile): Attrs {
  const next: Attrs = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, [...v]]));
  const replaced = new Map<string, string[]>();
  const resolved = mods.map((mod) => {
    const def = knownAttr(profile, mod.name);
    if (!def) throw new ServiceError('account.INVALID_ATTR_NAME', `invalid attr name: ${mod.name}`);
    if (!def.on.includes(klass)) {
      throw new ServiceError('service.FAILURE', `system failure: unable to modify attrs: object class violation: attribute ${def.name} not allowed on ${klass}`);
    }
    if (def.name === 'zimbraId') throw invalidValue('zimbraId is immutable');
    checkValue(def, mod.value);
    return { ...mod, def };
  });
  for (const mod of resolved) {
    if (mod.op !== '=') continue;
    const values = replaced.get(mod.def.name) ?? [];
    if (mod.value !== '') values.push(mod.value);
    replaced.set(mod.def.name, values);
  }
  for (const [name, values] of replaced) {
    const def = attrDef(name) as AttrDef;
    if (!def.multi && values.length > 1) throw invalidValue(`${name} is a single-valued attribute`);
    if (values.length === 0) delete next[name];
    else next[name] = values;
  }
  for (const mod of resolved) {
    const name = mod.def.name;
    if (mod.op === '+' && mod.value !== '') {
      const values = next[name] ?? [];
      if (values.includes(mod.value)) continue;
      if (!mod.def.multi && values.length > 0) throw invalidValue(`${name} is a single-valued attribute`);
      next[name] = [...values, mod.value];
    } else if (mod.op === '-') {
      const values = (next[name] ?? []).filter((v) => mod.value !== '' && v !== mod.value);
      if (values.length === 0) delete next[name];
      else next[name] = values;
    }
  }
  return next;
}
