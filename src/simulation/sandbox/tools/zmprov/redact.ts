/** Keeps passwords out of the sandbox's call log: `sp ACCOUNT ********`, as a careful audit log would. */
import { parseLine } from './parse.js';

/** Commands (name or alias, lower case) and the position of their password argument. */
const PASSWORD_AT: Record<string, number> = { sp: 2, setpassword: 2, ca: 2, createaccount: 2 };

export const REDACTED = '********';

/** The arguments with the password replaced, when the command takes one. */
export function redactArgs(args: readonly string[]): string[] {
  const at = PASSWORD_AT[(args[0] ?? '').toLowerCase()];
  if (at === undefined || args.length <= at) return [...args];
  return args.map((arg, i) => (i === at ? REDACTED : arg));
}

/** A batch line as it may be logged. */
export function redactLine(line: string): string {
  const args = parseLine(line);
  if (args[0]?.toLowerCase() === 'prov') args.shift();
  const redacted = redactArgs(args);
  if (redacted.every((arg, i) => arg === args[i])) return line;
  return redacted.map((a) => (/[\s"'\\]/.test(a) || a === '' ? `"${a.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : a)).join(' ');
}
