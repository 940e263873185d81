import { FINDING_KINDS } from './finding-kinds.js';
import type { FindingType } from './types.js';

/** What to do about a finding: the containment command first, then how to check the hardening. */
export function actionsFor(type: FindingType, account: string | undefined): string[] {
  return FINDING_KINDS[type].actions(account);
}
