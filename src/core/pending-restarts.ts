/**
 * Restarts that changes need and that have not happened yet. apply writes them down before its
 * first change and crosses each off once its restart succeeded, so a run that was killed, failed
 * or interrupted between the change and the restart is finished by the next run (and audit says so).
 */
import { CannotWriteError } from '../errors.js';
import type { Host, ReadHost } from '../host/host.js';
import { STATE_DIR } from './state-dir.js';
import type { Service } from './types.js';

export const PENDING_RESTARTS = `${STATE_DIR}/pending-restarts.json`;

const SERVICES: readonly Service[] = ['mta', 'cbpolicyd', 'apache'];

interface PendingFile {
  services: Service[];
  since: string;
}

export interface Pending {
  services: Service[];
  /** When the oldest of them was written down. */
  since?: string;
}

export async function readPending(host: ReadHost): Promise<Pending> {
  const text = await host.readFile(PENDING_RESTARTS);
  if (text === undefined) return { services: [] };
  try {
    const parsed = JSON.parse(text) as Partial<PendingFile>;
    const services = SERVICES.filter((s) => parsed.services?.includes(s));
    return { services, since: typeof parsed.since === 'string' ? parsed.since : undefined };
  } catch {
    // A torn or edited file: restart everything rather than forget a restart.
    return { services: [...SERVICES] };
  }
}

async function writePending(host: Host, pending: Pending): Promise<void> {
  try {
    if (pending.services.length === 0) return await host.remove(PENDING_RESTARTS);
    await host.mkdir(STATE_DIR, 0o700);
    const body: PendingFile = { services: pending.services, since: pending.since ?? new Date().toISOString() };
    await host.writeFileAtomic(PENDING_RESTARTS, `${JSON.stringify(body)}\n`, { mode: 0o600 });
  } catch (error) {
    throw new CannotWriteError(`cannot write ${host.resolve(PENDING_RESTARTS)} (${(error as Error).message}); make ${STATE_DIR} writable for root`, { cause: error });
  }
}

/** Adds services before the changes that need them are made. */
export async function addPending(host: Host, services: readonly Service[]): Promise<void> {
  if (services.length === 0) return;
  const current = await readPending(host);
  const merged = SERVICES.filter((s) => current.services.includes(s) || services.includes(s));
  if (merged.length === current.services.length) return;
  await writePending(host, { services: merged, since: current.since });
}

/** Crosses off services whose restart succeeded. */
export async function clearPending(host: Host, services: readonly Service[]): Promise<void> {
  const current = await readPending(host);
  const left = current.services.filter((s) => !services.includes(s));
  if (left.length !== current.services.length) await writePending(host, { services: left, since: current.since });
}
