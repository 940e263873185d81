import { monitorState } from '../core/compiled-schemas.js';
import { parseChecked } from '../core/schema-check.js';
import { STATE_DIR } from '../core/state-dir.js';
import type { Host } from '../host/host.js';
import type { CorrelatorState } from './correlator.js';
import type { Cursor } from './cursor.js';
import type { DetectorsState } from './detectors.js';
import type { PendingFinding } from './pending.js';
import { STATE_VERSION } from './state-version.js';

export const STATE_PATH = `${STATE_DIR}/monitor-state.json`;
export const LOCK_PATH = '/run/zimbra-harden/monitor.lock';

export interface MonitorState {
  version: number;
  savedAt: string;
  cursors: { mail?: Cursor; policyd?: Cursor };
  correlator?: CorrelatorState;
  detectors?: DetectorsState;
  /** Finding key → when it was last reported (ISO). */
  reported: Record<string, string>;
  /** Findings not yet delivered to every report channel (the MTA was down, or the run was --no-mail). */
  pending?: PendingFinding[];
}

export function emptyState(): MonitorState {
  return { version: STATE_VERSION, savedAt: new Date(0).toISOString(), cursors: {}, reported: {} };
}

/** The previous run's state; a missing or unreadable file starts afresh (with a warning for the latter). */
export async function loadState(host: Host, path: string): Promise<{ state: MonitorState; warning?: string }> {
  const text = await host.readFile(path);
  if (text === undefined) return { state: emptyState() };
  // stateSchema of state-schema.ts, compiled.
  const state = parseChecked<MonitorState>(monitorState, text);
  if (state) return { state };
  return { state: emptyState(), warning: `monitor state ${path} was unreadable; starting afresh` };
}

export function saveState(host: Host, path: string, state: MonitorState): Promise<void> {
  return saveJson(host, path, state);
}

/** A root-only JSON file of the monitor's (its state, the directory it keeps), in a folder made 0750 if missing. */
export async function saveJson(host: Host, path: string, value: unknown): Promise<void> {
  await host.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', 0o750);
  await host.writeFileAtomic(path, `${JSON.stringify(value)}\n`, { mode: 0o600 });
}
