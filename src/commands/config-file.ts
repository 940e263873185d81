import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import { settingsSchema, type Settings } from '../core/settings.js';
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
  const parsed = settingsSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new ConfigError(`config ${path}: ${first.path.join('.') || '(top level)'}: ${first.message}`);
  }
  const problem = checkSettings(parsed.data)[0];
  if (problem) throw new ConfigError(`config ${path}: ${problem.key}: ${problem.message}`);
  return parsed.data;
}
