/** Who the web UI really answers: the effective access for outside addresses, whatever the managed block says. */
import { effectiveAccess, hostSpecMatches, type AccessRequest, type AccessResult } from './effective-access.js';
import type { Section } from './sections.js';

/** Documentation and public addresses standing for "anyone outside"; the first not among the allowed networks is asked about. */
const OUTSIDE_V4 = ['203.0.113.7', '198.51.100.7', '192.0.2.7', '100.64.0.7', '8.8.8.8'];
const OUTSIDE_V6 = ['2001:db8:ffff::7', '2606:4700::7'];

function covered(address: string, allow: readonly string[]): boolean {
  return allow.some((spec) => hostSpecMatches(spec, address) === true);
}

/** An address outside every allowed network, per family. */
export function outsideProbes(allow: readonly string[]): string[] {
  return [OUTSIDE_V4.find((a) => !covered(a, allow)), OUTSIDE_V6.find((a) => !covered(a, allow))].filter((a): a is string => a !== undefined);
}

export interface WebuiAccess extends AccessResult {
  /** The outside address the verdict is about. */
  client: string;
}

/** The worst verdict over every way to the web UI and every outside probe: granted, then unknown, then denied. */
export function webuiAccess(sections: readonly Section[], requests: readonly AccessRequest[], allow: readonly string[]): WebuiAccess {
  const results: WebuiAccess[] = [];
  for (const client of outsideProbes(allow)) for (const request of requests) results.push({ ...effectiveAccess(sections, request, client), client });
  const rank = { granted: 0, unknown: 1, denied: 2 } as const;
  return results.sort((a, b) => rank[a.verdict] - rank[b.verdict])[0] ?? { verdict: 'denied', decidedBy: [], client: '' };
}

