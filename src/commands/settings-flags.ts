import { flagAttribute, type SettingFlags } from './flags.js';
import { UsageError } from '../errors.js';
import { OPTIONS, type SettingOption } from '../core/options.js';
import { monitorSchema, type CatchAll, type Settings } from '../core/settings.js';
import { checkSettings } from './settings-check.js';
import { CONTROLS } from '../controls/index.js';

export type { SettingFlags };

function parseCatchAll(value: string): CatchAll {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--catch-all ${JSON.stringify(value)}: expected DOMAIN=ACCOUNT, e.g. example.com=catchall@example.com`);
  return { domain: value.slice(0, eq).trim(), account: value.slice(eq + 1).trim() };
}

/** Settings given by flags only; undefined where no flag was given, so the config file can fill in. */
export function settingsFromFlags(flags: SettingFlags): Settings {
  const settings: Record<string, unknown> = {};
  for (const { key, option } of OPTIONS) {
    if (option.flag === undefined || option.on === 'incident') continue;
    const raw = flags[flagAttribute(option.flag)];
    if (raw !== undefined) setAt(settings, key, flagValue(option, raw));
  }
  if (flags.only) settings.skip = skipAllBut(flags.only as string[], flags.skip !== undefined);
  const problem = checkSettings(settings as Settings, true)[0];
  if (problem) throw new UsageError(`${problem.flag ?? problem.key}: ${problem.message}`);
  return settings as Settings; // the monitor's defaults are filled in when merged
}

/** A flag's value as the config file holds it; its range and names are checked with the config file's rules. */
function flagValue(option: SettingOption, raw: string | string[] | boolean): unknown {
  const flag = option.flag!;
  switch (option.kind) {
    case 'catch-all':
      return (raw as string[]).map(parseCatchAll);
    case 'count':
      if (!/^\d+$/.test(String(raw).trim())) throw new UsageError(`${flag} ${JSON.stringify(raw)}: expected a whole number`);
      return Number(String(raw).trim());
    case 'text':
      return String(raw).trim();
    case 'list':
      return (raw as string[]).map((v) => v.trim());
    case 'choice':
    case 'switch':
      return raw;
  }
}

function setAt(target: Record<string, unknown>, key: string, value: unknown): void {
  const names = key.split('.');
  const last = names.pop()!;
  let at = target;
  for (const name of names) at = (at[name] ??= {}) as Record<string, unknown>;
  at[last] = value;
}

/** `--only`: every control but these is skipped; the restart step still follows what they change. */
function skipAllBut(only: string[], withSkip: boolean): string[] {
  if (withSkip) throw new UsageError('--only and --skip together: give one of them');
  const ids = CONTROLS.map((c) => c.id);
  const unknown = only.find((id) => !ids.includes(id));
  if (unknown !== undefined) throw new UsageError(`--only ${unknown}: no such control (known: ${ids.join(', ')})`);
  return ids.filter((id) => !only.includes(id));
}

/** Flag > config file, key by key (inside `quota` too, so --quota-period keeps the configured limit). */
export function mergeSettings(config: Settings, flags: Settings): Settings {
  const merged: Settings = { ...config };
  for (const [key, value] of Object.entries(flags) as [keyof Settings, unknown][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (config.quota && flags.quota) merged.quota = { ...config.quota, ...flags.quota };
  if (flags.monitor) {
    merged.monitor = monitorSchema.parse({ ...config.monitor, ...flags.monitor });
    const problem = checkSettings({ monitor: merged.monitor })[0];
    if (problem) throw new UsageError(`${problem.flag ?? problem.key}: ${problem.message}`);
  }
  return merged;
}
