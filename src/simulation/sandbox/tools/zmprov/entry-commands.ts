/** zmprov server, config and domain commands: gs, ms, gcf, mcf, gacf, gd, md, gad, gas. */
import { serverAttrs } from '../../ldap/directory.js';
import type { Attrs } from '../../state.js';
import { formatAttrs, formatEntry } from './parse.js';
import { ArgError, domainOrThrow, MAX, modifyCommand, modifyEntry, read, serverOrThrow, splitExpand, takeFlags, type Command } from './session.js';

export const ENTRY_COMMANDS: Command[] = [
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
  modifyCommand('modifyServer', 'ms', 'name|id', 'server', (state, key) => state.servers[serverOrThrow(state, key)] as Attrs),
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
  modifyCommand('modifyDomain', 'md', 'domain|id', 'domain', (state, key) => state.domains[domainOrThrow(state, key)] as Attrs),
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
];
