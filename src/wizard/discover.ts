import type { Host } from '../host/host.js';
import { runZmprovBatch } from '../zimbra/zmprov-batch.js';
import { accountsByDomain, listedNames } from '../zimbra/catch-all-candidates.js';
import { detectServer } from '../core/detect.js';
import { COMMON_PATHS } from '../zimbra/paths.js';
import type { ServerEnv } from '../core/types.js';

/** What the wizard offers to choose from: the domains and their accounts. */
export interface Discovery {
  domains: string[];
  accountsByDomain: Record<string, string[]>;
}

/** One zmprov process: `gad` and `gaa`. zmprov is in the same place on every release, so this can run while the version is detected. */
export async function discover(host: Host, zmprov = COMMON_PATHS.zmprov): Promise<Discovery> {
  const batch = await runZmprovBatch(host, zmprov, [['gad'], ['gaa']]);
  const domains = listedNames(batch.results[0]?.stdout).map((d) => d.toLowerCase());
  return { domains, accountsByDomain: accountsByDomain(domains, listedNames(batch.results[1]?.stdout)) };
}

/** What the wizard learns before its first question: the version (zmcontrol) and the domains (zmprov), asked at once. */
export type ServerSurvey = Promise<[PromiseSettledResult<ServerEnv>, PromiseSettledResult<Discovery>]>;

/** Starts both reads right away; the caller loads the prompts meanwhile. */
export function surveyServer(host: Host): ServerSurvey {
  return Promise.allSettled([detectServer(host), discover(host)]);
}
