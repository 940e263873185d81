import { loadConfig } from './config-file.js';
import type { Settings } from '../core/settings.js';
import { missingSettings } from './settings-check.js';
import { UsageError } from '../errors.js';
import type { Context } from './context.js';
import { mergeSettings, settingsFromFlags, type SettingFlags } from './settings-flags.js';

/** Flags, then the config file; with `require`, every missing setting is named at once, before any change. */
export async function resolveSettings(ctx: Context, flags: SettingFlags, require: boolean): Promise<Settings> {
  const fromFlags = settingsFromFlags(flags);
  const settings = mergeSettings(await loadConfig(ctx.configPath), fromFlags);
  if (require) {
    const missing = missingSettings(settings);
    if (missing.length > 0) {
      const list = missing.map((m) => `${m.key} (flag ${m.flag}; ${m.what})`).join('; ');
      throw new UsageError(`missing setting${missing.length > 1 ? 's' : ''}: ${list}; give ${missing.length > 1 ? 'them' : 'it'} as flags or in ${ctx.configPath}`);
    }
  }
  return settings;
}
