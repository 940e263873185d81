import { Option, type Command } from 'commander';
import { helpOf, keyOf, OPTIONS, SETTINGS, type SettingOption } from '../core/options.js';
import { attributeOf } from './command-flags.js';

/** Raw setting flags as commander parses them, by commander's attribute name (`--quota-period` → `quotaPeriod`): see settings-flags.ts. */
export type SettingFlags = Partial<Record<string, string | string[] | boolean>>;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Commander's name for the value of a flag: `--quota-period` → `quotaPeriod`. */
export function flagAttribute(flag: string): string {
  return attributeOf({ name: flag.replace(/^--/, '') });
}

/** The commander options of one setting: `--flag <arg>` (with its choices, repeatable or not), and `--no-flag` where it has one. */
function optionsOf(option: SettingOption, audit: boolean): Option[] {
  const flag = option.flag!;
  const help = helpOf(option, audit);
  if (option.kind === 'switch') {
    const negation = option.negation && new Option(`--no-${flag.slice(2)}`, `${option.negation} (config: ${keyOf(option)}: false)`);
    return negation ? [new Option(flag, help), negation] : [new Option(flag, help)];
  }
  const made = new Option(`${flag} <${option.arg}>`, help);
  if (option.kind === 'choice') made.choices(option.choices);
  if (option.kind === 'list' || option.kind === 'catch-all') made.argParser(collect);
  return [made];
}

/**
 * An incident setting's flag as `incident` and `contain` take it: flag, argument and "(config: KEY)" from the
 * option table; `help` where the command reads it differently, `parse` for a repeatable one.
 */
export function incidentOption(option: SettingOption, how: { help?: string; parse?: (value: string, previous?: string[]) => string[] } = {}): Option {
  const made = new Option(`${option.flag!} <${option.arg}>`, how.help ? `${how.help} (config: ${keyOf(option)})` : helpOf(option));
  return how.parse ? made.argParser(how.parse) : made;
}

/**
 * The flags that set hardening settings, derived from the option table (core/options.ts). Kept
 * light: loaded at start-up. An audit checks the settings but never restarts nor installs
 * anything, so its help says so and it has no --restart nor report channels.
 */
export function addSettingFlags(command: Command, mode: 'plan' | 'apply' | 'audit' = 'apply'): Command {
  const audit = mode === 'audit';
  for (const { option } of OPTIONS) {
    if (option.flag === undefined || option.on === 'incident' || (audit && option.on === 'changes')) continue;
    for (const made of optionsOf(option, audit)) command.addOption(made);
    if (option === SETTINGS.skip) {
      command.option('--only <id>', `run only this control, repeatable: every other one is skipped (config: ${keyOf(option)}); the restart follows what it changes`, collect);
    }
  }
  return command;
}
