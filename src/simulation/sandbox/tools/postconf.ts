/** postconf: reads (and with -e edits) the sandbox's main.cf; -P lists master.cf overrides. */
import * as fs from 'node:fs';
import { zimbraPaths } from '../../../zimbra/paths.js';
import { postfixDefaults } from '../postfix/defaults.js';
import { editMainCf, parseMainCf } from '../postfix/main-cf.js';
import { parseMasterOverrides } from '../postfix/master-cf.js';
import { writeFileAtomicSync } from '../state.js';
import { postfixAtLeast } from '../versions.js';
import type { ToolContext } from './context.js';

const USAGE =
  'postconf: fatal: usage: postconf [-a (server SASL types)] [-A (client SASL types)] [-b (bounce templates)] [-c config_dir] [-C param_class] [-d (defaults)] [-e (edit)] [-f (fold lines)] [-h (no names)] [-l (lock types)] [-m (map types)] [-M (master.cf)] [-n (non-defaults)] [-o name=value (override parameter value)] [-p (main.cf, default)] [-P (master.cf parameters)] [-t (bounce templates)] [-v] [-x (expand parameter values)] [name...]';

const line = (name: string, value: string, noName: boolean) => (noName ? `${value}\n` : `${name} =${value === '' ? '' : ` ${value}`}\n`);

export function postconf(ctx: ToolContext): number {
  const flags = new Set<string>();
  const names: string[] = [];
  const supported = postfixAtLeast(ctx.profile, 2, 11) ? 'dehnPx' : 'dehnx';
  let optionsDone = false;
  for (const arg of ctx.args) {
    if (!optionsDone && arg === '--') {
      optionsDone = true;
    } else if (!optionsDone && arg.startsWith('-') && arg.length > 1) {
      for (const ch of arg.slice(1)) {
        if (!supported.includes(ch)) {
          ctx.err(`postconf: invalid option -- '${ch}'\n${USAGE}\n`);
          return 1;
        }
        flags.add(ch);
      }
    } else {
      optionsDone = true;
      names.push(arg);
    }
  }
  const paths = zimbraPaths(ctx.profile);
  const mainCfPath = ctx.host(paths.postfixMainCf);
  const text = fs.existsSync(mainCfPath) ? fs.readFileSync(mainCfPath, 'utf8') : '';
  if (flags.has('P')) return masterParams(ctx, names, flags.has('h'), ctx.host(paths.postfixMasterCf));
  if (flags.has('e')) {
    const updates = new Map<string, string>();
    for (const spec of names) {
      const eq = spec.indexOf('=');
      if (eq <= 0) {
        ctx.err(`postconf: fatal: edit accepts only name=value input, got: ${spec}\n`);
        return 1;
      }
      updates.set(spec.slice(0, eq).trim(), spec.slice(eq + 1).trim());
    }
    writeFileAtomicSync(mainCfPath, editMainCf(text, updates));
    return 0;
  }
  const main = parseMainCf(text);
  const defaults = postfixDefaults(ctx.profile.postfix);
  const noName = flags.has('h');
  const valueOf = (name: string): string | undefined => (flags.has('d') ? defaults.get(name) : (main.get(name) ?? defaults.get(name)));
  const expand = (value: string, depth = 0): string =>
    !flags.has('x') || depth > 10 ? value : value.replace(/\$\{?([A-Za-z0-9_]+)\}?/g, (_, n: string) => expand(valueOf(n) ?? '', depth + 1));
  if (names.length === 0) {
    const all = flags.has('n') ? [...main.keys()] : [...new Set([...defaults.keys(), ...(flags.has('d') ? [] : main.keys())])];
    for (const name of all.sort()) ctx.out(line(name, expand(valueOf(name) ?? ''), noName));
    return 0;
  }
  for (const name of names) {
    const value = valueOf(name);
    if (value === undefined) ctx.err(`postconf: warning: ${name}: unknown parameter\n`);
    else ctx.out(line(name, expand(value), noName));
  }
  return 0;
}

/**
 * `postconf -P [service[/type[/parameter]]…]` as Postfix 3.7 answers it: services in file order, each one's
 * parameters by name (the last -o of a name wins), request by request; `*` matches any field, an empty field
 * or a fourth one is fatal, a request that matches nothing is a warning.
 */
function masterParams(ctx: ToolContext, filters: string[], noName: boolean, masterCfPath: string): number {
  const patterns = filters.map((f) => f.split('/'));
  if (patterns.some((parts) => parts.length > 3 || parts.some((p) => p === ''))) {
    ctx.err('postconf: fatal: -P option requires service_name[/type[/parameter]]\n');
    return 1;
  }
  const text = fs.existsSync(masterCfPath) ? fs.readFileSync(masterCfPath, 'utf8') : '';
  const services = new Map<string, Map<string, string>>();
  for (const o of parseMasterOverrides(text)) {
    const service = `${o.service}/${o.type}`;
    if (!services.has(service)) services.set(service, new Map());
    services.get(service)!.set(o.param, o.value);
  }
  // Each service in turn, each request in turn: a parameter two requests match is printed twice, as Postfix does.
  const requests = patterns.length === 0 ? [['*']] : patterns;
  const matched = new Set<number>();
  for (const [service, params] of services) {
    requests.forEach((parts, i) => {
      for (const param of [...params.keys()].sort()) {
        const key = [...service.split('/'), param];
        if (!parts.every((p, k) => p === '*' || p === key[k])) continue;
        matched.add(i);
        ctx.out(line(key.join('/'), params.get(param)!, noName));
      }
    });
  }
  filters.forEach((f, i) => matched.has(i) || ctx.err(`postconf: warning: unmatched request: "${f}"\n`));
  return 0;
}
