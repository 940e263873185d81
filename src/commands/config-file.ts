import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { settings as validateSettings } from '../core/compiled-schemas.js';
import { checkSchema } from '../core/schema-check.js';
import type { Settings } from '../core/settings.js';
import { checkSettings } from './settings-check.js';

/** Reads and validates the config file; a missing file is an empty config. */
export async function loadConfig(path: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  // settingsSchema's check, compiled (scripts/compile-schemas.mjs): a cron run reads this file and should not load zod for it.
  const parsed = checkSchema<Settings>(validateSettings, json);
  if (!parsed.ok) throw new ConfigError(`config ${path}: ${parsed.key}: ${parsed.message}`);
  const problem = checkSettings(parsed.value)[0];
  if (problem) throw new ConfigError(`config ${path}: ${problem.key}: ${problem.message}`);
  return parsed.value;
}
