/**
 * Would Apache serve a request to a given client address? The sections that match the request
 * are merged as Apache merges them (<Directory> shortest path first, then <DirectoryMatch>, then
 * <Files>, then <Location> in file order, a virtual host's after the main server's); with
 * AuthMerging Off (the default) the last section with Require directives decides, and the last
 * one with Order/Allow/Deny decides mod_access_compat; Satisfy Any lets either one grant.
 */
import { BlockList, isIP } from 'node:net';
import type { RequireGroup, RequireLine, Section } from './sections.js';

export interface AccessRequest {
  /** URL path, e.g. `/webui/index.php`. */
  uri: string;
  /** The file it maps to, e.g. `/opt/zimbra/data/httpd/htdocs/webui/index.php`. */
  file: string;
}

export type Verdict = 'granted' | 'denied' | 'unknown';

export interface AccessResult {
  verdict: Verdict;
  /** The sections that decided (`file:line`), for the report. */
  decidedBy: string[];
  /** Why the verdict is unknown (a rule that depends on something other than the address). */
  reason?: string;
}

function globRegex(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

const hasWildcard = (s: string) => /[*?[]/.test(s);

function directoryMatches(section: Section, file: string): boolean {
  if (section.regex) return section.regex.test(file);
  const dir = section.pattern.replace(/\/+$/, '') || '/';
  if (dir === '/') return true;
  const depth = dir.split('/').length;
  const prefix = file.split('/').slice(0, depth).join('/');
  return hasWildcard(dir) ? globRegex(dir).test(prefix) : file === dir || file.startsWith(`${dir}/`);
}

function filesMatches(section: Section, file: string): boolean {
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (section.regex) return section.regex.test(base);
  return globRegex(section.pattern).test(base);
}

/** `<Location "/webui">` matches /webui, /webui/ and /webui/x, not /webuiother; `<Location "/web*">` matches /webui only. */
function locationMatches(section: Section, uri: string): boolean {
  if (section.regex) return section.regex.test(uri);
  const path = section.pattern;
  if (hasWildcard(path)) return globRegex(path).test(uri); // the whole path, `*` within one segment (fnmatch, FNM_PATHNAME)
  if (path === '/' || path === '') return true;
  if (!uri.startsWith(path)) return false;
  return path.endsWith('/') || uri.length === path.length || uri[path.length] === '/';
}

/** The sections that apply to the request, in the order Apache merges them. */
export function mergeOrder(sections: readonly Section[], request: AccessRequest): Section[] {
  const main = (s: Section) => (s.inVirtualHost ? 1 : 0);
  const byServer = (list: Section[]) => [...list].sort((a, b) => main(a) - main(b));
  const dirs = sections.filter((s) => s.kind === 'directory' && directoryMatches(s, request.file));
  const plainDirs = dirs
    .filter((s) => !s.regex)
    .map((s, i) => ({ s, i, depth: s.pattern.replace(/\/+$/, '').split('/').length }))
    .sort((a, b) => a.depth - b.depth || main(a.s) - main(b.s) || a.i - b.i)
    .map((x) => x.s);
  return [
    ...plainDirs,
    ...byServer(dirs.filter((s) => s.regex)),
    ...byServer(sections.filter((s) => s.kind === 'files' && filesMatches(s, request.file))),
    ...byServer(sections.filter((s) => s.kind === 'location' && locationMatches(s, request.uri))),
  ];
}

/** Allow/Deny/Require ip arguments: `all`, an address, a network (`/len` or `/netmask`), a partial IPv4 (`10.1`). */
export function hostSpecMatches(spec: string, client: string): boolean | 'unknown' {
  if (spec.toLowerCase() === 'all') return true;
  if (spec.toLowerCase().startsWith('env=')) return 'unknown';
  const family = isIP(client) === 6 ? 'ipv6' : 'ipv4';
  const [address = '', mask] = spec.split('/');
  const list = new BlockList();
  try {
    if (isIP(address) !== 0) {
      const fam = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      const prefix = mask === undefined ? (fam === 'ipv6' ? 128 : 32) : isIP(mask) === 4 ? maskBits(mask) : Number(mask);
      list.addSubnet(address, prefix, fam);
    } else if (/^\d{1,3}(\.\d{1,3}){0,3}\.?$/.test(address) && mask === undefined) {
      const parts = address.replace(/\.$/, '').split('.');
      list.addSubnet([...parts, '0', '0', '0'].slice(0, 4).join('.'), parts.length * 8, 'ipv4');
    } else {
      return false; // a host name: outside clients are taken not to resolve into it
    }
  } catch {
    return false;
  }
  return list.check(client, family);
}

function maskBits(mask: string): number {
  return mask.split('.').reduce((n, octet) => n + (Number(octet) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

type Tri = 'granted' | 'denied' | 'neutral' | 'unknown';

function requireLine(line: RequireLine, client: string): Tri {
  let result: Tri;
  switch (line.provider) {
    case 'all':
      result = line.args[0]?.toLowerCase() === 'granted' ? 'granted' : 'denied';
      break;
    case 'ip': {
      const matches = line.args.map((a) => hostSpecMatches(a, client));
      result = matches.includes(true) ? 'granted' : matches.includes('unknown') ? 'unknown' : 'denied';
      break;
    }
    case 'local':
      result = client === '::1' || client.startsWith('127.') ? 'granted' : 'denied';
      break;
    case 'valid-user':
    case 'user':
    case 'group':
      result = 'denied'; // only after a login: an anonymous outsider is refused
      break;
    case 'host':
      result = 'denied';
      break;
    default:
      result = 'unknown';
  }
  if (!line.negate || result === 'unknown') return result;
  return result === 'granted' ? 'denied' : 'neutral';
}

function requireGroup(group: RequireGroup, client: string): Tri {
  const results = group.children.map((c) => ('type' in c ? requireGroup(c, client) : requireLine(c, client)));
  if (group.type === 'any') {
    if (results.includes('granted')) return 'granted';
    if (results.includes('unknown')) return 'unknown';
    return results.includes('denied') ? 'denied' : 'neutral';
  }
  if (group.type === 'all') {
    if (results.includes('denied')) return 'denied';
    if (results.includes('unknown')) return 'unknown';
    return results.includes('granted') ? 'granted' : 'neutral';
  }
  if (results.includes('granted')) return 'denied';
  return results.includes('unknown') ? 'unknown' : 'neutral';
}

function compatAllows(compat: NonNullable<Section['compat']>, client: string): boolean | 'unknown' {
  const test = (specs: string[]) => {
    const r = specs.map((s) => hostSpecMatches(s, client));
    return r.includes(true) ? true : r.includes('unknown') ? 'unknown' : false;
  };
  const allowed = test(compat.allow);
  const denied = test(compat.deny);
  if (allowed === 'unknown' || denied === 'unknown') return 'unknown';
  if (compat.order === 'deny,allow') return allowed || !denied;
  return allowed && !denied;
}

/** What Apache answers `client` for the request: served, refused (403 or a login), or not decidable from the address. */
export function effectiveAccess(sections: readonly Section[], request: AccessRequest, client: string): AccessResult {
  let require: RequireGroup | undefined;
  let requireFrom: string | undefined;
  let compat: Section['compat'];
  let compatFrom: string | undefined;
  let satisfy: 'any' | 'all' = 'all';
  for (const section of mergeOrder(sections, request)) {
    if (section.require) {
      const merging = section.authMerging ?? 'off';
      require = merging !== 'off' && require ? { type: merging === 'and' ? 'all' : 'any', children: [require, section.require] } : section.require;
      requireFrom = section.where;
    }
    if (section.compat) {
      compat = section.compat;
      compatFrom = section.where;
    }
    if (section.satisfy) satisfy = section.satisfy;
  }
  const authz = require ? requireGroup(require, client) : 'granted';
  const host = compat ? compatAllows(compat, client) : true;
  const decidedBy = [requireFrom, compatFrom].filter((w): w is string => w !== undefined);
  if (authz === 'unknown' || host === 'unknown') {
    return { verdict: 'unknown', decidedBy, reason: 'a rule that depends on more than the client address (Require env/expr/method, Allow from env=)' };
  }
  const authzOk = authz === 'granted';
  const granted = satisfy === 'any' ? authzOk || host : authzOk && host;
  return { verdict: granted ? 'granted' : 'denied', decidedBy };
}
