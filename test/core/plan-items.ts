/** Plans written as data for the engine tests: a server as detected, and items as the controls plan them. */
import type { Observation } from '../../src/core/engine.js';
import { planRestart } from '../../src/core/restart.js';
import type { Settings } from '../../src/core/settings.js';
import type { Action, Item, ServerEnv } from '../../src/core/types.js';
import { zimbraPaths } from '../../src/zimbra/paths.js';

export const HOSTNAME = 'mail.a.example';

export function serverEnv(major = 8, minor = 8, patch = 15): ServerEnv {
  const version = { major, minor, patch, raw: `Release ${major}.${minor}.${patch}.GA.1 UBUNTU20_64 FOSS edition.` };
  return {
    version,
    hostname: HOSTNAME,
    paths: zimbraPaths(version),
    mtaServers: [{ name: HOSTNAME, attrs: { zimbraServiceEnabled: ['mta'], zimbraServiceInstalled: ['mta'] } }],
    localconfig: { zimbra_server_hostname: HOSTNAME },
  };
}

export function change(control: string, subject: string, actions: Action[], extra: Partial<Item> = {}): Item {
  return { control, subject, status: 'change', message: `${control} ${subject}`, actions, restart: [], ...extra };
}

export const zmprov = (...argv: string[]): Action => ({ kind: 'zmprov', argv });

/** The observation apply gets: the items, then the restart step planned from them as the engine does. */
export function observation(items: Item[], settings: Settings = {}, env = serverEnv()): Observation {
  return { env, items: [...items, planRestart(items, env, settings)] };
}
