/**
 * The syntax check of the simulated `apachectl -t`: balanced sections, known directives, valid
 * access rules, with Apache's own wording. Strict enough to catch a broken managed block; it
 * does not load modules. Include and IncludeOptional are followed through `include` when given.
 */
import { isIP } from 'node:net';

export type ApacheVersion = '2.2' | '2.4';

const SECTIONS = new Set([
  'directory', 'directorymatch', 'location', 'locationmatch', 'files', 'filesmatch', 'ifmodule', 'ifdefine', 'ifversion',
  'virtualhost', 'limit', 'limitexcept', 'requireall', 'requireany', 'requirenone',
]);

const DIRECTIVES = new Set([
  'serverroot', 'pidfile', 'listen', 'loadmodule', 'user', 'group', 'serveradmin', 'servername', 'documentroot', 'options',
  'allowoverride', 'order', 'allow', 'deny', 'satisfy', 'directoryindex', 'errorlog', 'loglevel', 'logformat', 'customlog',
  'scriptalias', 'alias', 'typesconfig', 'addtype', 'addhandler', 'addencoding', 'setenv', 'serversignature', 'servertokens',
  'timeout', 'keepalive', 'maxkeepaliverequests', 'keepalivetimeout', 'startservers', 'minspareservers', 'maxspareservers',
  'maxclients', 'maxrequestsperchild', 'minsparethreads', 'maxsparethreads', 'threadsperchild', 'usecanonicalname',
  'accessfilename', 'defaulttype', 'hostnamelookups', 'include', 'includeoptional', 'sslrandomseed', 'mimemagicfile',
  'header', 'requestheader', 'browsermatch', 'setenvif', 'enablemmap', 'enablesendfile', 'mutex', 'scriptsock',
  'addoutputfilter', 'errordocument', 'maxranges', 'authtype', 'authname', 'authuserfile',
]);
const ONLY_24 = new Set(['require', 'mutex', 'includeoptional']);

export interface CheckError {
  line: number;
  message: string;
  /** The included file the error is in (else the file checked). */
  file?: string;
  /** Apache says it on one line: `httpd: Syntax error on line N of FILE: message` (errors about an Include itself). */
  oneLine?: boolean;
}

/** Checks what an Include names; the error's line is filled in by the caller. */
export type IncludeCheck = (pattern: string, optional: boolean, serverRoot: string | undefined) => CheckError | undefined;

export interface CheckOptions {
  include?: IncludeCheck;
  serverRoot?: string;
}

function validHostSpec(w: string): boolean {
  const [address, prefix] = w.split('/');
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address ?? '');
  if (family !== 0) return prefix === undefined || Number(prefix) <= (family === 4 ? 32 : 128);
  return prefix === undefined && /^(\d{1,3})(\.\d{1,3}){0,2}\.?$/.test(address ?? '') && (address ?? '').split('.').every((p) => p === '' || Number(p) <= 255);
}

function checkDirective(name: string, args: string[], version: ApacheVersion): string | undefined {
  const lower = name.toLowerCase();
  if (!DIRECTIVES.has(lower) && !ONLY_24.has(lower)) return `Invalid command '${name}', perhaps misspelled or defined by a module not included in the server configuration`;
  if (version === '2.2' && ONLY_24.has(lower) && lower !== 'require') return `Invalid command '${name}', perhaps misspelled or defined by a module not included in the server configuration`;
  if (lower === 'require') {
    const [first = '', ...rest] = args[0]?.toLowerCase() === 'not' ? args.slice(1) : args;
    const provider = first.toLowerCase();
    if (version === '2.2') return ['valid-user', 'user', 'group'].includes(provider) ? undefined : `Unknown Authz provider: ${first}`;
    if (provider === 'all') return ['granted', 'denied'].includes((rest[0] ?? '').toLowerCase()) && rest.length === 1 ? undefined : `'Require all' does not take arguments other than granted or denied`;
    if (provider === 'ip') {
      if (rest.length === 0) return "'Require ip' needs at least one address";
      const bad = rest.find((w) => !validHostSpec(w));
      return bad === undefined ? undefined : `ip address '${bad}' appears to be invalid`;
    }
    return ['host', 'local', 'valid-user', 'user', 'group', 'env', 'method', 'expr'].includes(provider) ? undefined : `Unknown Authz provider: ${first}`;
  }
  if (lower === 'order') return /^(allow,deny|deny,allow|mutual-failure)$/i.test(args.join('')) ? undefined : 'unknown order';
  if (lower === 'allow' || lower === 'deny') {
    if ((args[0] ?? '').toLowerCase() !== 'from') return "allow and deny must be followed by 'from'";
    return args.length > 1 ? undefined : `${name} from requires at least one argument`;
  }
  if (args.length === 0 && !['include'].includes(lower)) return `${name} takes one argument or more`;
  return undefined;
}

/** Splits a directive line into words, keeping "quoted strings" whole. */
function words(text: string): string[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

export function checkApacheConfig(text: string, version: ApacheVersion, options: CheckOptions = {}): CheckError | undefined {
  let serverRoot = options.serverRoot;
  const stack: { name: string; line: number; arg: string }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    const number = i + 1;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('</')) {
      const m = /^<\/([A-Za-z]+)\s*>$/.exec(line);
      if (!m) return { line: number, message: `${line} directive missing closing '>'` };
      const open = stack.pop();
      if (!open) return { line: number, message: `${line} without matching <${m[1]}> section` };
      if (open.name.toLowerCase() !== m[1]!.toLowerCase()) return { line: number, message: `Expected </${open.name}> but saw </${m[1]}>` };
      continue;
    }
    if (line.startsWith('<')) {
      const m = /^<([A-Za-z]+)(\s+[^>]*)?>$/.exec(line);
      if (!m) return { line: number, message: `<${line.slice(1).split(/\s/)[0]}> directive missing closing '>'` };
      if (!SECTIONS.has(m[1]!.toLowerCase())) return { line: number, message: `Invalid command '<${m[1]}', perhaps misspelled or defined by a module not included in the server configuration` };
      const arg = (m[2] ?? '').trim();
      if (arg === '' && !/^(requireall|requireany|requirenone)$/i.test(m[1]!)) return { line: number, message: `<${m[1]}> directive requires additional arguments` };
      stack.push({ name: m[1]!, line: number, arg });
      continue;
    }
    const [name = '', ...args] = words(line);
    const problem = checkDirective(name, args, version);
    if (problem) return { line: number, message: problem };
    const lower = name.toLowerCase();
    if (lower === 'serverroot') serverRoot = args[0]?.replace(/\/+$/, '');
    if ((lower === 'include' || lower === 'includeoptional') && args[0] && options.include) {
      const error = options.include(args[0], lower === 'includeoptional', serverRoot);
      if (error) return error.file ? error : { ...error, line: number };
    }
  }
  const open = stack.pop();
  if (open) return { line: open.line, message: `<${open.name} ${open.arg}> was not closed.` };
  return undefined;
}
