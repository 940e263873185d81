import type { Finding } from './types.js';

/** A finding not yet handed to every report channel it is owed to. */
export interface PendingFinding {
  finding: Finding;
  /** Channel names (mail, syslog, webhook, stdout) still owed this finding. */
  channels: string[];
}

/** An MTA down for days must not grow the state without end: the newest findings are kept. */
export const MAX_PENDING = 100;

/**
 * The findings owed after this run's new ones are added: a newer finding replaces an older one
 * with the same key; channels no longer configured are dropped (an entry left with none is owed
 * to the channels configured now).
 */
export function addPending(pending: readonly PendingFinding[], fresh: readonly Finding[], channels: readonly string[]): { pending: PendingFinding[]; dropped: number } {
  const byKey = new Map<string, PendingFinding>();
  for (const p of pending) {
    const still = p.channels.filter((c) => channels.includes(c));
    byKey.set(p.finding.key, { finding: p.finding, channels: still.length > 0 ? still : [...channels] });
  }
  for (const f of fresh) {
    byKey.delete(f.key);
    byKey.set(f.key, { finding: f, channels: [...channels] });
  }
  const all = [...byKey.values()].filter((p) => p.channels.length > 0);
  const dropped = Math.max(0, all.length - MAX_PENDING);
  return { pending: all.slice(dropped), dropped };
}

/** Channel name → the findings owed to it. */
export function owed(pending: readonly PendingFinding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const p of pending) for (const c of p.channels) map.set(c, [...(map.get(c) ?? []), p.finding]);
  return map;
}

/** What is still owed once `delivered` channels took everything owed to them. */
export function settle(pending: readonly PendingFinding[], delivered: readonly string[]): PendingFinding[] {
  return pending.map((p) => ({ finding: p.finding, channels: p.channels.filter((c) => !delivered.includes(c)) })).filter((p) => p.channels.length > 0);
}
