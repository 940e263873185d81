/** Reading Zimbra's Apache httpd.conf and keeping one managed block in it (pure text work). */

export const BEGIN = '# BEGIN zimbra-harden webui';
export const END = '# END zimbra-harden webui';
export const WEBUI_URL = '/webui';

export type AccessSyntax = '2.4' | '2.2';

export interface HttpdFacts {
  documentRoot: string | undefined;
  /** Arguments of the Listen directives (`7780`, `127.0.0.1:7780`…). */
  listen: string[];
  /** Filesystem targets of `Alias /webui…` directives. */
  webuiAliases: string[];
  /** Which access syntax the file itself uses, if any. */
  syntax: AccessSyntax | undefined;
}

function directives(content: string): string[] {
  return content
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');

export function readHttpdConf(content: string): HttpdFacts {
  const lines = directives(content);
  const arg = (line: string) => unquote(line.split(/\s+/).slice(1).join(' '));
  const documentRoot = lines.find((l) => /^DocumentRoot\s/i.test(l));
  const webuiAliases = lines.flatMap((l) => {
    const m = /^Alias\s+("?)(\/webui[^"\s]*)\1\s+("?)([^"\s]+)\3/i.exec(l);
    return m ? [m[4]!] : [];
  });
  let syntax: AccessSyntax | undefined;
  if (lines.some((l) => /^Require\s/i.test(l))) syntax = '2.4';
  else if (lines.some((l) => /^(Order|Allow|Deny)\s/i.test(l))) syntax = '2.2';
  return {
    documentRoot: documentRoot ? arg(documentRoot).replace(/\/+$/, '') : undefined,
    listen: lines.filter((l) => /^Listen\s/i.test(l)).map(arg),
    webuiAliases,
    syntax,
  };
}

/** Listen arguments that accept connections from other machines (no address, a wildcard or a public one). */
export function openListeners(listen: readonly string[]): string[] {
  return listen.filter((l) => {
    const address = l.includes(':') ? l.slice(0, l.lastIndexOf(':')).replace(/^\[|\]$/g, '') : '';
    return address === '' || !(address === '::1' || address.startsWith('127.') || address === 'localhost');
  });
}

export interface BlockInput {
  syntax: AccessSyntax;
  /** Every address allowed in, loopback first. */
  allow: string[];
  /** Filesystem folders the web UI is served from (the published path, the install folder). */
  directories: string[];
}

/** The managed block: the same rule on the URL and on each folder, so neither an Alias nor a symlink gets around it. */
export function renderBlock({ syntax, allow, directories }: BlockInput): string {
  const rule =
    syntax === '2.4'
      ? [`    Require ip ${allow.join(' ')}`]
      : ['    Order deny,allow', '    Deny from all', `    Allow from ${allow.join(' ')}`];
  const section = (open: string, close: string) => [open, ...rule, close];
  return [
    BEGIN,
    '# The cbpolicyd web UI has no login: only loopback and the admin networks listed here may open it.',
    '# Managed by zimbra-harden (--webui-allow); edits between these markers are replaced.',
    ...directories.flatMap((d) => section(`<Directory "${d}">`, '</Directory>')),
    ...section(`<Location "${WEBUI_URL}">`, '</Location>'),
    END,
  ].join('\n');
}

export type BlockPatch = { ok: true; content: string; changed: boolean; present: boolean } | { ok: false; reason: string };

/** Replaces the block between the markers, or appends it; every other byte stays. */
export function patchBlock(content: string, block: string): BlockPatch {
  const lines = content.split('\n');
  const begins = lines.flatMap((l, i) => (l.trim() === BEGIN ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.trim() === END ? [i] : []));
  if (begins.length === 0 && ends.length === 0) {
    const sep = content === '' || content.endsWith('\n') ? '' : '\n';
    const patched = `${content}${sep}${content.endsWith('\n\n') || content === '' ? '' : '\n'}${block}\n`;
    return { ok: true, content: patched, changed: true, present: false };
  }
  if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) {
    return { ok: false, reason: `its "${BEGIN}" / "${END}" markers are damaged (found ${begins.length} and ${ends.length})` };
  }
  const patched = [...lines.slice(0, begins[0]), ...block.split('\n'), ...lines.slice(ends[0]! + 1)].join('\n');
  return { ok: true, content: patched, changed: patched !== content, present: true };
}

/** The block moved to the end of the file (after every section that could re-open the web UI); every other byte stays. */
export function patchBlockAtEnd(content: string, block: string): BlockPatch {
  const lines = content.split('\n');
  const begin = lines.findIndex((l) => l.trim() === BEGIN);
  const end = lines.findIndex((l) => l.trim() === END);
  if (begin < 0 || end < begin) return patchBlock(content, block);
  const without = [...lines.slice(0, begin), ...lines.slice(end + 1)].join('\n').replace(/\n\n+$/, '\n');
  const patched = patchBlock(without, block);
  return patched.ok ? { ...patched, changed: patched.content !== content, present: true } : patched;
}
