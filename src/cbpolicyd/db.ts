/** Opening Zimbra's cbpolicyd SQLite database safely: busy timeout, integrity and schema checks, clear errors. */
import Database from 'better-sqlite3';
import { UserError } from '../errors.js';

export type PolicyDb = Database.Database;

/** How long a write waits for another writer (cbpolicyd, the web UI, sqlite3) before giving up. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Overridable for tests and slow disks: ZIMBRA_HARDEN_DB_BUSY_TIMEOUT_MS. */
export function busyTimeoutMs(): number {
  const raw = Number(process.env.ZIMBRA_HARDEN_DB_BUSY_TIMEOUT_MS);
  return Number.isInteger(raw) && raw >= 0 ? raw : DEFAULT_BUSY_TIMEOUT_MS;
}

/** The tables and columns the rows of zimbra-harden need (PolicyD 2.1 core and quotas modules). */
export const REQUIRED_COLUMNS: Record<string, string[]> = {
  policies: ['ID', 'Name', 'Priority', 'Description', 'Disabled'],
  policy_members: ['ID', 'PolicyID', 'Source', 'Destination', 'Comment', 'Disabled'],
  policy_groups: ['ID', 'Name', 'Disabled', 'Comment'],
  policy_group_members: ['ID', 'PolicyGroupID', 'Member', 'Disabled', 'Comment'],
  quotas: ['ID', 'PolicyID', 'Name', 'Track', 'Period', 'Verdict', 'Data', 'LastQuota', 'Comment', 'Disabled'],
  quotas_limits: ['ID', 'QuotasID', 'Type', 'CounterLimit', 'Comment', 'Disabled'],
};

export class PolicyDbError extends UserError {}

function sqliteCode(error: unknown): string {
  return (error as { code?: string } | undefined)?.code ?? '';
}

/** Turns an SQLite error into one sentence that names the file; nothing else leaks. */
export function describeDbError(error: unknown, label: string, busyMs: number): PolicyDbError {
  const code = sqliteCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY_')) {
    return new PolicyDbError(`${label} is locked by another writer (waited ${(busyMs / 1000).toFixed(1)} s): nothing was written; try again when it is free`, undefined, { cause: error });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_')) {
    return new PolicyDbError(`${label} is corrupt or not an SQLite database (${message}); restore it from a backup, or move it away and restart cbpolicyd to recreate it`, undefined, { cause: error });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return new PolicyDbError(`cannot open ${label} (${message}); run as root or zimbra`, undefined, { cause: error });
  }
  if (error instanceof PolicyDbError) return error;
  return new PolicyDbError(`${label}: ${message}`, undefined, { cause: error });
}

/** Integrity and schema: a corrupt file or a SQLite database that is not cbpolicyd's is refused. */
function checkDatabase(db: PolicyDb, label: string): void {
  const integrity = db.pragma('quick_check', { simple: true });
  if (integrity !== 'ok') throw new PolicyDbError(`${label} is corrupt (quick_check: ${String(integrity)}); restore it from a backup`);
  const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name.toLowerCase()));
  const absent = Object.keys(REQUIRED_COLUMNS).filter((t) => !tables.has(t));
  if (absent.length > 0 && (tables.size === 0 || absent.length < Object.keys(REQUIRED_COLUMNS).length)) {
    throw new PolicyDbError(
      `${label} is half-created (no table ${absent.join(', ')}): cbpolicyd's first start was stopped while zmcbpolicydinit built it. ` +
        'It holds no policies yet; rebuild it as zimbra: zmcbpolicydctl stop; /opt/zimbra/libexec/zmcbpolicydinit -force; zmcbpolicydctl start; then run apply again',
    );
  }
  for (const [table, columns] of Object.entries(REQUIRED_COLUMNS)) {
    const present = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name.toLowerCase()));
    if (present.size === 0) throw new PolicyDbError(`${label} is not a cbpolicyd database: it has no table ${table}`);
    const missing = columns.filter((c) => !present.has(c.toLowerCase()));
    if (missing.length > 0) throw new PolicyDbError(`${label} is not a cbpolicyd database: table ${table} has no column ${missing.join(', ')}`);
  }
}

export interface OpenOptions {
  readonly: boolean;
  busyTimeoutMs?: number;
  /** Server path, for messages. */
  label: string;
}

/** Opens an existing database (never creates one) and checks it; the caller closes it. */
export function openPolicyDb(file: string, options: OpenOptions): PolicyDb {
  const busy = options.busyTimeoutMs ?? busyTimeoutMs();
  let db: PolicyDb | undefined;
  try {
    db = new Database(file, { readonly: options.readonly, fileMustExist: true, timeout: busy });
    checkDatabase(db, options.label);
    return db;
  } catch (error) {
    db?.close();
    throw describeDbError(error, options.label, busy);
  }
}

/** Runs fn in one IMMEDIATE transaction (waits for the write lock up to the busy timeout); all or nothing. */
export function writeTransaction<T>(db: PolicyDb, label: string, busyMs: number, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (error) {
    throw describeDbError(error, label, busyMs);
  }
}
