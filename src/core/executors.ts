import type { Host } from '../host/host.js';
import type { Action, ServerEnv } from './types.js';

type SqlAction = Extract<Action, { kind: 'sql' }>;

/** Runs one `sql` action; returns notes for the report. Registered by the control that plans it. */
export type SqlExecutor = (host: Host, env: ServerEnv, action: SqlAction) => Promise<string[]>;

const sqlExecutors = new Map<string, SqlExecutor>();

export function registerSqlExecutor(name: string, executor: SqlExecutor): void {
  sqlExecutors.set(name, executor);
}

export function sqlExecutor(name: string): SqlExecutor {
  const executor = sqlExecutors.get(name);
  if (!executor) throw new Error(`no executor registered for sql actions "${name}"`);
  return executor;
}
