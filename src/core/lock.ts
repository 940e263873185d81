import { UserError } from '../errors.js';
import type { HeldLock, Host } from '../host/host.js';

export type Lock = HeldLock;

/** Takes the lock or fails naming the run that holds it. */
export async function acquireLock(host: Host, path: string, what: string): Promise<Lock> {
  const lock = await tryLock(host, path);
  if (!lock) {
    const pid = Number((await host.readFile(path))?.trim());
    throw new UserError(`another ${what} is running (${Number.isInteger(pid) && pid > 0 ? `pid ${pid}, ` : ''}lock ${path}); wait for it to finish`);
  }
  return lock;
}

/** The lock, or undefined while another process holds it (its folder, when missing, is created with mode 755). */
export async function tryLock(host: Host, path: string): Promise<Lock | undefined> {
  await host.mkdir(path.slice(0, path.lastIndexOf('/')) || '/', 0o755);
  return host.lockFile(path);
}
