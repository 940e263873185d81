import type { Host } from '../host/host.js';
import { domainOf } from '../core/names.js';
import { runZmprovBatch } from '../zimbra/zmprov-batch.js';
import { detectServer } from '../core/detect.js';
import type { ServerEnv } from '../core/types.js';

/** Accounts the installer creates for spam training, quarantine and GAL sync: never a catch-all. */
const SYSTEM_ACCOUNT = /^(?:spam|ham|virus-quarantine)\.[a-z0-9]+@|^galsync[.@]/i;

/** What the wizard offers to choose from: the domains and their accounts. */
export interface Discovery {
  domains: string[];
  accountsByDomain: Record<string, string[]>;
}

/** One zmprov process: `gad` and `gaa`. zmprov is in the same place on every release, so this can run while the version is detected. */
export async function discover(host: Host, zmprov = '/opt/zimbra/bin/zmprov'): Promise<Discovery> {
  const batch = await runZmprovBatch(host, zmprov, [['gad'], ['gaa']]);
  const lines = (text: string | undefined) => (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const domains = lines(batch.results[0]?.stdout).map((d) => d.toLowerCase());
  const accountsByDomain: Record<string, string[]> = Object.fromEntries(domains.map((d) => [d, [] as string[]]));
  for (const account of lines(batch.results[1]?.stdout)) {
    if (!SYSTEM_ACCOUNT.test(account)) accountsByDomain[domainOf(account)]?.push(account);
  }
  return { domains, accountsByDomain };
}

/** What the wizard learns before its first question: the version (zmcontrol) and the domains (zmprov), asked at once. */
export type ServerSurvey = Promise<[PromiseSettledResult<ServerEnv>, PromiseSettledResult<Discovery>]>;

/** Starts both reads right away; the caller loads the prompts meanwhile. */
export function surveyServer(host: Host): ServerSurvey {
  return Promise.allSettled([detectServer(host), discover(host)]);
}
