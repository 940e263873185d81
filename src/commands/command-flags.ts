import { DEFAULT_CONFIG_PATH } from '../core/config-path.js';

/**
 * A flag as commander declares it and node:util's parseArgs reads it: the program's global flags and
 * the monitor's own are declared once here, for the full CLI (cli.ts, monitor-command.ts) and for the
 * plain cron invocation that runs without commander (monitor-argv.ts).
 */
export interface CommandFlag {
  /** Long name without the dashes; `no-…` is a negation (commander: the positive attribute set to false). */
  name: string;
  short?: string;
  /** The value's name, for a flag that takes one. */
  arg?: string;
  help: string;
}

export const GLOBAL_FLAGS: readonly CommandFlag[] = [
  { name: 'root', arg: 'dir', help: 'resolve every path and command under DIR (a simulated host from `sandbox create`)' },
  { name: 'config', arg: 'file', help: `settings file (default ${DEFAULT_CONFIG_PATH}, written by apply)` },
  { name: 'json', help: 'machine output: JSON lines (docs/json.md), first line {"type":"version","schema":"2.1"}' },
  { name: 'yes', short: 'y', help: 'do not ask for confirmation' },
  { name: 'non-interactive', short: 'n', help: 'never prompt; missing settings are an error' },
  { name: 'quiet', short: 'q', help: 'silent when all is well: print only problems (implies -n; for cron)' },
  { name: 'detailed-exitcode', help: 'plan/audit: exit 2 when something would change or drifted; apply: exit 2 when something changed' },
  { name: 'color', help: 'colour even when not on a terminal (as FORCE_COLOR=1)' },
  { name: 'no-color', help: 'no colour (as NO_COLOR=1)' },
];

export const MONITOR_FLAGS: readonly CommandFlag[] = [
  { name: 'since', arg: 'when', help: 're-scan everything since then for triage (30m, 2h, 1d or a date); the saved position is left alone' },
  { name: 'no-mail', help: 'print the report instead of sending it (mail, syslog, webhook); nothing is used up: the next run still sends it' },
  { name: 'peek', help: 'read from the saved position and print the report, but save nothing (no lock taken)' },
  { name: 'domains', arg: 'list', help: 'comma-separated mail domains of the server (default: zmprov -l gad)' },
];

/** Commander's spelling: `-q, --quiet`, `--root <dir>`. */
export function commanderFlags(flag: CommandFlag): string {
  return `${flag.short ? `-${flag.short}, ` : ''}--${flag.name}${flag.arg ? ` <${flag.arg}>` : ''}`;
}

/** Commander's attribute of a flag: `non-interactive` → nonInteractive, `no-mail` → mail. */
export function attributeOf(flag: Pick<CommandFlag, 'name'>): string {
  return flag.name.replace(/^no-/, '').replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
}
