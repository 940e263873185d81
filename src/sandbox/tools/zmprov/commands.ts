/** zmprov commands: the subset of ProvUtil the hardening tool and its tests need. */
import { createHash, randomBytes } from 'node:crypto';
import {
  accountAttrs,
  applyModifications,
  findAccountKey,
  findDomainKey,
  findServerKey,
  first,
  noSuchAccount,
  noSuchDomain,
  noSuchServer,
  parseModifications,
  serverAttrs,
  ServiceError,
  type Modification,
} from '../../ldap/directory.js';
import { attrDef, type AttrClass } from '../../ldap/attributes.js';
import { generalizedTime, newAccountAttrs } from '../../ldap/seed.js';
import { readLocalConfigSync } from '../../localconfig.js';
import { readLdapSync, withLockSync, writeLdapSync, type Attrs, type LdapState } from '../../state.js';
import { since } from '../../versions.js';
import type { ToolContext } from '../context.js';
import { formatAttrs, formatEntry } from './parse.js';

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

const MAX = Number.MAX_SAFE_INTEGER;

function read(s: Session): LdapState {
  return readLdapSync(s.ctx.root);
}

function modify(s: Session, fn: (state: LdapState) => void): void {
  withLockSync(s.ctx.root, () => {
    const state = read(s);
    fn(state);
    writeLdapSync(s.ctx.root, state);
  });
}

/** ProvUtil.keyValueArrayToMultiMap: pairs, plus the 8.0+ safeguard on service attributes. */
function attrMods(s: Session, args: string[], isCreate: boolean): Modification[] {
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

function modifyEntry(s: Session, args: string[], klass: AttrClass, locate: (state: LdapState) => Attrs): void {
  locate(read(s)); // lookup errors come before argument checks, as in ProvUtil
  const mods = attrMods(s, args, false);
  modify(s, (state) => {
    const entry = locate(state);
    const next = applyModifications(entry, mods, klass, s.ctx.profile);
    for (const key of Object.keys(entry)) delete entry[key];
    Object.assign(entry, next);
  });
}

/** Leading `-e`: only the entry's own attributes (not supported by 7.x). */
function splitExpand(s: Session, args: string[]): { applyDefault: boolean; rest: string[] } {
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

function accountOrThrow(state: LdapState, key: string): string {
  const found = findAccountKey(state, key);
  if (!found) throw noSuchAccount(key);
  return found;
}
function serverOrThrow(state: LdapState, key: string): string {
  const found = findServerKey(state, key);
  if (!found) throw noSuchServer(key);
  return found;
}
function domainOrThrow(state: LdapState, key: string): string {
  const found = findDomainKey(state, key);
  if (!found) throw noSuchDomain(key);
  return found;
}

function hashPassword(s: Session, password: string): string {
  const salt = randomBytes(8);
  const algo = since(s.ctx.profile, '8.7.0') ? 'sha512' : 'sha1';
  const digest = createHash(algo).update(password).update(salt).digest();
  return `{${algo === 'sha512' ? 'SSHA512' : 'SSHA'}}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function checkPassword(state: LdapState, account: string, password: string): void {
  const min = Number(accountAttrs(state, account, true).zimbraPasswordMinLength?.[0] ?? '6');
  if (password.length < min) throw new ServiceError('account.INVALID_PASSWORD', 'invalid password: too short');
}

function takeFlags(args: string[], allowed: string[]): { flags: Set<string>; rest: string[] } {
  const flags = new Set<string>();
  let i = 0;
  while (i < args.length && allowed.includes(args[i] as string)) flags.add(args[i++] as string);
  return { flags, rest: args.slice(i) };
}

export const COMMANDS: Command[] = [
  {
    name: 'getAccount',
    alias: 'ga',
    help: '[-e] {name@domain|id} [attr1 [attr2...]]',
    min: 2,
    max: MAX,
    run(s, args) {
      const { applyDefault, rest } = splitExpand(s, args.slice(1));
      if (rest.length === 0) throw new ArgError('missing account');
      const state = read(s);
      const key = accountOrThrow(state, rest[0] as string);
      s.ctx.out(formatEntry(key, accountAttrs(state, key, applyDefault), rest.slice(1)));
    },
  },
  {
    name: 'modifyAccount',
    alias: 'ma',
    help: '{name@domain|id} [attr1 value1 [attr2 value2...]]',
    min: 3,
    max: MAX,
    run(s, args) {
      const target = args[1] as string;
      modifyEntry(s, args.slice(2), 'account', (state) => state.accounts[accountOrThrow(state, target)] as Attrs);
    },
  },
  {
    name: 'createAccount',
    alias: 'ca',
    help: '{name@domain} {password} [attr1 value1 [attr2 value2...]]',
    min: 3,
    max: MAX,
    run(s, args) {
      const name = (args[1] as string).toLowerCase();
      const password = args[2] as string;
      const mods = attrMods(s, args.slice(3), true);
      let id = '';
      modify(s, (state) => {
        const domain = name.split('@')[1];
        if (!name.includes('@') || !domain) throw new ServiceError('service.INVALID_REQUEST', `invalid request: must be valid email address: ${name}`);
        domainOrThrow(state, domain);
        if (findAccountKey(state, name)) throw new ServiceError('account.ACCOUNT_EXISTS', `email address already exists: ${name}`);
        const hostname = s.ctx.meta.hostname;
        let attrs = newAccountAttrs(name, hostname, generalizedTime(new Date()));
        attrs = applyModifications(attrs, mods, 'account', s.ctx.profile);
        state.accounts[name] = attrs;
        if (password !== '') {
          checkPassword(state, name, password);
          attrs.userPassword = [hashPassword(s, password)];
          attrs.zimbraPasswordModifiedTime = [generalizedTime(new Date())];
        }
        id = first(attrs, 'zimbraId') as string;
      });
      s.ctx.out(`${id}\n`);
    },
  },
  {
    name: 'setPassword',
    alias: 'sp',
    help: '{name@domain|id} {password}',
    min: 3,
    max: 3,
    run(s, args) {
      modify(s, (state) => {
        const key = accountOrThrow(state, args[1] as string);
        checkPassword(state, key, args[2] as string);
        const attrs = state.accounts[key] as Attrs;
        attrs.userPassword = [hashPassword(s, args[2] as string)];
        attrs.zimbraPasswordModifiedTime = [generalizedTime(new Date())];
      });
    },
  },
  {
    name: 'getServer',
    alias: 'gs',
    help: '[-e] {name|id} [attr1 [attr2...]]',
    min: 2,
    max: MAX,
    run(s, args) {
      const { applyDefault, rest } = splitExpand(s, args.slice(1));
      if (rest.length === 0) throw new ArgError('missing server');
      const state = read(s);
      const key = serverOrThrow(state, rest[0] as string);
      s.ctx.out(formatEntry(key, serverAttrs(state, key, s.ctx.profile, applyDefault), rest.slice(1)));
    },
  },
  {
    name: 'modifyServer',
    alias: 'ms',
    help: '{name|id} [attr1 value1 [attr2 value2...]]',
    min: 3,
    max: MAX,
    run(s, args) {
      const target = args[1] as string;
      modifyEntry(s, args.slice(2), 'server', (state) => state.servers[serverOrThrow(state, target)] as Attrs);
    },
  },
  {
    name: 'getConfig',
    alias: 'gcf',
    help: '{name}',
    min: 2,
    max: 2,
    run(s, args) {
      s.ctx.out(formatAttrs(read(s).config, [args[1] as string]));
    },
  },
  {
    name: 'modifyConfig',
    alias: 'mcf',
    help: 'attr1 value1 [attr2 value2...]',
    min: 3,
    max: MAX,
    run(s, args) {
      modifyEntry(s, args.slice(1), 'globalConfig', (state) => state.config);
    },
  },
  {
    name: 'getAllConfig',
    alias: 'gacf',
    help: '[attr1 [attr2...]]',
    min: 1,
    max: MAX,
    run(s, args) {
      s.ctx.out(formatAttrs(read(s).config, args.slice(1)));
    },
  },
  {
    name: 'getDomain',
    alias: 'gd',
    help: '[-e] {domain|id} [attr1 [attr2...]]',
    min: 2,
    max: MAX,
    run(s, args) {
      const { rest } = splitExpand(s, args.slice(1));
      if (rest.length === 0) throw new ArgError('missing domain');
      const state = read(s);
      const key = domainOrThrow(state, rest[0] as string);
      s.ctx.out(formatEntry(key, state.domains[key] as Attrs, rest.slice(1)));
    },
  },
  {
    name: 'modifyDomain',
    alias: 'md',
    help: '{domain|id} [attr1 value1 [attr2 value2...]]',
    min: 3,
    max: MAX,
    run(s, args) {
      const target = args[1] as string;
      modifyEntry(s, args.slice(2), 'domain', (state) => state.domains[domainOrThrow(state, target)] as Attrs);
    },
  },
  {
    name: 'getAllDomains',
    alias: 'gad',
    help: '[-v] [-e] [attr1 [attr2...]]',
    min: 1,
    max: MAX,
    run(s, args) {
      const { flags, rest } = takeFlags(args.slice(1), ['-v', '-e']);
      if (flags.has('-e') && !flags.has('-v')) throw new ArgError('arg -e is invalid unless -v is also specified');
      const state = read(s);
      for (const [name, attrs] of Object.entries(state.domains)) {
        s.ctx.out(flags.has('-v') ? formatEntry(name, attrs, rest) : `${name}\n`);
      }
    },
  },
  {
    name: 'getAllServers',
    alias: 'gas',
    help: '[-v] [-e] [service]',
    min: 1,
    max: 4,
    run(s, args) {
      const { flags, rest } = takeFlags(args.slice(1), ['-v', '-e']);
      if (flags.has('-e') && !flags.has('-v')) throw new ArgError('arg -e is invalid unless -v is also specified');
      if (rest.length > 1) throw new ArgError('too many arguments');
      const state = read(s);
      const service = rest[0];
      for (const [name, attrs] of Object.entries(state.servers)) {
        if (service !== undefined && !(attrs.zimbraServiceEnabled ?? []).includes(service)) continue;
        s.ctx.out(flags.has('-v') ? formatEntry(name, serverAttrs(state, name, s.ctx.profile, !flags.has('-e'))) : `${name}\n`);
      }
    },
  },
  {
    name: 'getAllAccounts',
    alias: 'gaa',
    help: '[-v] [-e] [-s server] [{domain}]',
    min: 1,
    max: 6,
    run(s, args) {
      const rest = args.slice(1);
      const flags = new Set<string>();
      let domain: string | undefined;
      let server: string | undefined;
      while (rest.length > 0) {
        const arg = rest.shift() as string;
        if (arg === '-v' || arg === '-e') flags.add(arg);
        else if (arg === '-s') server = rest.shift() ?? '';
        else if (domain === undefined) domain = arg;
        else throw new ArgError('too many arguments');
      }
      if (flags.has('-e') && !flags.has('-v')) throw new ArgError('arg -e is invalid unless -v is also specified');
      const state = read(s);
      if (server !== undefined) serverOrThrow(state, server);
      const domainKey = domain === undefined ? undefined : domainOrThrow(state, domain);
      for (const name of Object.keys(state.accounts)) {
        if (domainKey !== undefined && name.split('@')[1] !== domainKey) continue;
        if (server !== undefined && first(state.accounts[name], 'zimbraMailHost') !== server) continue;
        s.ctx.out(flags.has('-v') ? formatEntry(name, accountAttrs(state, name, !flags.has('-e'))) : `${name}\n`);
      }
    },
  },
];

export function lookupCommand(word: string): Command | undefined {
  const lower = word.toLowerCase();
  return COMMANDS.find((c) => c.name.toLowerCase() === lower || c.alias === lower);
}
