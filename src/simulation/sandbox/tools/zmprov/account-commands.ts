/** zmprov account commands: ga, ma, ca, sp, gaa. */
import { accountAttrs, applyModifications, findAccountKey, first, ServiceError } from '../../ldap/directory.js';
import { generalizedTime, newAccountAttrs } from '../../ldap/seed.js';
import type { Attrs } from '../../state.js';
import { formatEntry } from './parse.js';
import {
  accountOrThrow,
  ArgError,
  attrMods,
  checkPassword,
  domainOrThrow,
  hashPassword,
  MAX,
  modify,
  modifyCommand,
  read,
  serverOrThrow,
  splitExpand,
  type Command,
} from './session.js';

export const ACCOUNT_COMMANDS: Command[] = [
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
  modifyCommand('modifyAccount', 'ma', 'name@domain|id', 'account', (state, key) => state.accounts[accountOrThrow(state, key)] as Attrs),
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
