import { parseArgs, type ParseArgsConfig } from 'node:util';
import { attributeOf, GLOBAL_FLAGS, MONITOR_FLAGS } from './command-flags.js';
import type { GlobalOptions } from './context.js';
import type { MonitorFlags } from './monitor.js';

export interface PlainMonitor {
  options: GlobalOptions;
  flags: MonitorFlags;
}

const FLAGS = [...GLOBAL_FLAGS.map((flag) => ({ flag, global: true })), ...MONITOR_FLAGS.map((flag) => ({ flag, global: false }))];
const PARSE_OPTIONS: ParseArgsConfig['options'] = Object.fromEntries(FLAGS.map(({ flag }) => [flag.name, { type: flag.arg ? 'string' : 'boolean', ...(flag.short ? { short: flag.short } : {}) }]));

type Token = { kind: 'option'; name: string; index: number; value?: string } | { kind: 'positional'; index: number; value: string } | { kind: 'option-terminator'; index: number };

/**
 * A plain `monitor` invocation, as cron runs it (`[--root DIR] [--config FILE] monitor --quiet`), read
 * without commander, which takes a good part of a cron run's CPU just to load. Only the global flags and
 * the monitor's own, with their values, around the one word `monitor`: anything else (help, --version,
 * a typo, another command, a value that looks like a flag, `--`) is undefined, and the full CLI parses
 * it, so its errors and help stay the same. Values as commander gives them: the last flag wins.
 */
export function plainMonitorArgs(argv: readonly string[]): PlainMonitor | undefined {
  let tokens: Token[];
  try {
    tokens = parseArgs({ args: [...argv], options: PARSE_OPTIONS, strict: true, allowPositionals: true, tokens: true }).tokens as Token[];
  } catch {
    return undefined;
  }
  const positionals = tokens.filter((t) => t.kind === 'positional');
  if (positionals.length !== 1 || positionals[0]!.value !== 'monitor' || tokens.some((t) => t.kind === 'option-terminator')) return undefined;
  const command = positionals[0]!.index;
  const options: Record<string, unknown> = {};
  const flags: Record<string, unknown> = { mail: true };
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const { flag, global } = FLAGS.find((f) => f.flag.name === token.name)!;
    // Commander knows the monitor's flags only after the word `monitor`.
    if (!global && token.index < command) return undefined;
    (global ? options : flags)[attributeOf(flag)] = flag.arg ? token.value : !flag.name.startsWith('no-');
  }
  return { options: options as GlobalOptions, flags: flags as unknown as MonitorFlags };
}
