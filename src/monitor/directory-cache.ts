import { STATE_DIR } from '../core/state-dir.js';
import type { Host } from '../host/host.js';
import { monitorDirectory } from '../core/compiled-schemas.js';
import { parseChecked } from '../core/schema-check.js';
import { saveJson } from './state.js';

/** The mail domains and accounts as `zmprov -l gad` / `gaa` listed them, kept between cron runs. */
export const DIRECTORY_PATH = `${STATE_DIR}/monitor-directory.json`;
/** Each zmprov start is a JVM (seconds of CPU, more than a whole 10-minute run), so one read serves an hour. */
export const DIRECTORY_MAX_AGE_MS = 60 * 60 * 1000;

export interface Directory {
  domains: string[];
  accounts: string[];
}

interface SavedDirectory extends Directory {
  readAt: string;
}

/**
 * The saved directory when it was read less than an hour before `now`; undefined when it is
 * older, from the future (a clock set back), missing or unreadable: then zmprov is asked again.
 */
export async function cachedDirectory(host: Host, now: Date): Promise<Directory | undefined> {
  const text = await host.readFile(DIRECTORY_PATH);
  if (text === undefined) return undefined;
  // directorySchema of state-schema.ts, compiled.
  const saved = parseChecked<SavedDirectory>(monitorDirectory, text);
  if (!saved) return undefined;
  const age = now.getTime() - Date.parse(saved.readAt);
  if (age < 0 || age >= DIRECTORY_MAX_AGE_MS) return undefined;
  return { domains: saved.domains, accounts: saved.accounts };
}

export function saveDirectory(host: Host, directory: Directory, readAt: Date): Promise<void> {
  return saveJson(host, DIRECTORY_PATH, { readAt: readAt.toISOString(), ...directory });
}
