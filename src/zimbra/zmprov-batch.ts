import type { Host } from '../host/host.js';
import { UserError } from '../errors.js';

/** Output of one command of a zmprov batch. */
export interface ZmprovResult {
  argv: string[];
  /** What the command printed to stdout (between two `prov> ` prompts). */
  stdout: string;
  /** The `ERROR: …` lines zmprov wrote while it ran this command. */
  errors: string[];
  /** zmprov went on to the next line: this command ran to its end (with or without an error). */
  completed: boolean;
}

export interface ZmprovBatch {
  results: ZmprovResult[];
  exitCode: number;
  stderr: string;
}

const PROMPT = 'prov> ';

/**
 * Quotes one argument the way zmprov's batch line parser reads it (double quotes, backslash
 * escapes). Values are data, never shell: there is no shell between us and zmprov.
 */
export function quoteZmprovArg(arg: string): string {
  if (/[\r\n]/.test(arg)) throw new UserError(`a zmprov value cannot contain a line break: ${JSON.stringify(arg)}`);
  if (arg !== '' && !/[\s"'\\]/.test(arg)) return arg;
  return `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function zmprovBatchInput(commands: readonly string[][]): string {
  return [...commands.map((argv) => argv.map(quoteZmprovArg).join(' ')), 'exit', ''].join('\n');
}

/** Splits batch stdout into per-command outputs: zmprov prints `prov> ` before reading each line. */
export function splitBatchOutput(stdout: string, count: number): string[] {
  const chunks = stdout.split(PROMPT);
  // chunks[0] is what came before the first prompt; chunk i+1 is command i's output.
  return Array.from({ length: count }, (_, i) => chunks[i + 1] ?? '');
}

/** zmprov's error lines: `ERROR: <code> (<message>)` for a failed command, and the unknown-command line. */
const ERROR_LINE = /^(ERROR: |Unknown command\. )/;

/**
 * Reads zmprov's merged output (stderr on the stdout pipe, in the order it was written) command by
 * command: the lines between two prompts are that command's output and errors. Command i ran to
 * its end when the prompt after it was printed.
 */
export function splitBatchResults(merged: string, commands: readonly string[][]): ZmprovResult[] {
  const chunks = merged.split(PROMPT);
  return commands.map((argv, i) => {
    const lines = (chunks[i + 1] ?? '').split('\n');
    const errors = lines.filter((l) => ERROR_LINE.test(l));
    const stdout = lines.filter((l) => !ERROR_LINE.test(l)).join('\n');
    return { argv: [...argv], stdout, errors, completed: chunks.length > i + 2 };
  });
}

/** Time for one zmprov JVM to start, connect to LDAP and run a batch. */
export const ZMPROV_TIMEOUT_MS = 180_000;

/**
 * Runs every command in one zmprov process (one JVM): `zmprov -l`, commands on stdin, ended by `exit`.
 * stderr shares stdout's pipe so that each `ERROR:` line lands between the prompts of the command
 * that caused it (Java's System.out and System.err flush at each line and prompt).
 */
export async function runZmprovBatch(host: Pick<Host, 'exec'>, zmprov: string, commands: readonly string[][]): Promise<ZmprovBatch> {
  if (commands.length === 0) return { results: [], exitCode: 0, stderr: '' };
  const result = await host.exec(zmprov, ['-l'], { input: zmprovBatchInput(commands), user: 'zimbra', mergeStderr: true, timeoutMs: ZMPROV_TIMEOUT_MS });
  if (result.failedToStart) throw new UserError(`cannot run ${zmprov}: ${result.stderr.trim()}`);
  const results = splitBatchResults(result.stdout, commands);
  // Whatever came before the first prompt (a JVM or LDAP failure) and every error line, for messages.
  const before = result.stdout.split(PROMPT)[0] ?? '';
  const stderr = [before.trim(), ...results.flatMap((r) => r.errors)].filter((l) => l !== '').join('\n');
  return { results, exitCode: result.exitCode, stderr };
}

export type Attrs = Record<string, string[]>;

export interface Entry {
  name: string;
  attrs: Attrs;
}

/** Parses `# name X` blocks followed by `attr: value` lines (ga, gs, gd, gas -v). */
export function parseEntries(output: string): Entry[] {
  const entries: Entry[] = [];
  let current: Entry | undefined;
  for (const line of output.split('\n')) {
    const header = /^# name (.+)$/.exec(line);
    if (header) {
      current = { name: header[1]!.trim(), attrs: {} };
      entries.push(current);
      continue;
    }
    if (current) addAttrLine(current.attrs, line);
  }
  return entries;
}

/** Parses header-less `attr: value` lines (gcf, gacf). */
export function parseAttrs(output: string): Attrs {
  const attrs: Attrs = {};
  for (const line of output.split('\n')) addAttrLine(attrs, line);
  return attrs;
}

function addAttrLine(attrs: Attrs, line: string): void {
  const m = /^([A-Za-z][\w-]*): (.*)$/.exec(line);
  if (!m) return;
  (attrs[m[1]!] ??= []).push(m[2]!);
}

export function hasValue(attrs: Attrs | undefined, name: string, value: string): boolean {
  return (attrs?.[name] ?? []).some((v) => v.toLowerCase() === value.toLowerCase());
}
