/** zmprov's tokenising of batch lines and formatting of entries. */
import type { Attrs } from '../../state.js';

/** Splits a batch line into words; single or double quotes group, backslash escapes inside double quotes. */
export function parseLine(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Values zmprov never displays (it prints VALUE-BLOCKED instead). */
const BLOCKED = new Set(['userpassword', 'zimbraauthtokens', 'zimbracsrftokendata']);

/** `attr: value` lines sorted by attribute name (Java String order), one per value. */
export function formatAttrs(attrs: Attrs, only?: readonly string[]): string {
  const wanted = only && only.length > 0 ? new Set(only.map((a) => a.toLowerCase())) : undefined;
  const names = Object.keys(attrs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = '';
  for (const name of names) {
    if (wanted && !wanted.has(name.toLowerCase())) continue;
    for (const value of attrs[name] ?? []) {
      out += `${name}: ${BLOCKED.has(name.toLowerCase()) ? 'VALUE-BLOCKED' : value}\n`;
    }
  }
  return out;
}

/** An entry as `ga`/`gs`/`gd` print it: header, attributes, blank line. */
export function formatEntry(name: string, attrs: Attrs, only?: readonly string[]): string {
  return `# name ${name}\n${formatAttrs(attrs, only)}\n`;
}
