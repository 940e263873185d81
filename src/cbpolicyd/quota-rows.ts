/** Reading the drift of the quota rows (plan, audit) and writing them (apply): one transaction, all or nothing. */
import { existsSync } from 'node:fs';
import { busyTimeoutMs, openPolicyDb, PolicyDbError, writeTransaction } from './db.js';
import type { QuotaDesign } from './design.js';
import { reconcile, shadowingQuotas } from './reconcile.js';

export interface Drift {
  /** One line per row that would be created or repaired; empty when the rows hold. */
  changes: string[];
  /** Other quotas that stop cbpolicyd before ours (warnings). */
  shadows: string[];
}

/** Read-only look at the rows. `file` is a host path, `label` the server path. */
export function readDrift(file: string, label: string, design: QuotaDesign, busyMs = busyTimeoutMs()): Drift {
  const db = openPolicyDb(file, { readonly: true, busyTimeoutMs: busyMs, label });
  try {
    return { changes: reconcile(db, design, false), shadows: shadowingQuotas(db, design) };
  } catch (error) {
    if (error instanceof PolicyDbError) throw error;
    throw new PolicyDbError(`${label}: ${(error as Error).message}`, undefined, { cause: error });
  } finally {
    db.close();
  }
}

/**
 * Writes the design in one IMMEDIATE transaction: waits up to the busy timeout for another writer,
 * then fails with nothing written. Returns what it changed; a second run returns [].
 */
export function writeRows(file: string, label: string, design: QuotaDesign, busyMs = busyTimeoutMs()): string[] {
  if (!existsSync(file)) {
    throw new PolicyDbError(`${label} does not exist: cbpolicyd creates it when it first starts (as zimbra: zmcbpolicydctl start), then run apply again`);
  }
  const db = openPolicyDb(file, { readonly: false, busyTimeoutMs: busyMs, label });
  try {
    const changes = writeTransaction(db, label, busyMs, () => reconcile(db, design, true));
    const left = reconcile(db, design, false);
    if (left.length > 0) throw new PolicyDbError(`${label}: rows still differ after writing them: ${left.join('; ')}`);
    return changes;
  } finally {
    db.close();
  }
}

/** The `policyd-rows` action of a plan: what apply runs for it (`file`: the database's host path). */
export function applyRowsAction(file: string, action: { database: string; design: QuotaDesign }): string[] {
  const changes = writeRows(file, action.database, action.design);
  return changes.length > 0 ? changes : ['the rows already held'];
}
