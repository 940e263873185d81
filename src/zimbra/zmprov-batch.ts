import type { Host } from '../host/host.js';
import { UserError } from '../errors.js';

/** Output of one command of a zmprov batch. */
export interface ZmprovResult {
  argv: string[];
  /** What the command printed to stdout (between two `prov> ` prompts). */
  stdout: string;
  /** stderr lines of the batch that name this command's target (zmprov does not tag them). */
  errors: string[];
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

/** Runs every command in one zmprov process (one JVM): `zmprov -l`, commands on stdin, ended by `exit`. */
export async function runZmprovBatch(host: Host, zmprov: string, commands: readonly string[][]): Promise<ZmprovBatch> {
  if (commands.length === 0) return { results: [], exitCode: 0, stderr: '' };
  const result = await host.exec(zmprov, ['-l'], { input: zmprovBatchInput(commands), user: 'zimbra' });
  if (result.failedToStart) throw new UserError(`cannot run ${zmprov}: ${result.stderr.trim()}`);
  const outputs = splitBatchOutput(result.stdout, commands.length);
  const errorLines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  const results = commands.map((argv, i) => {
    const target = argv[1]?.toLowerCase();
    const errors = target ? errorLines.filter((l) => l.toLowerCase().includes(target)) : [];
    return { argv: [...argv], stdout: outputs[i] ?? '', errors };
  });
  return { results, exitCode: result.exitCode, stderr: result.stderr };
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
