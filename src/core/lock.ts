import { UserError } from '../errors.js';
import type { Host } from '../host/host.js';

export interface Lock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A pid lock file: a second run fails (or gets undefined with `wait: false`) while the first is alive;
 * a lock left by a dead process is taken over.
 */
export async function acquireLock(host: Host, path: string, what: string): Promise<Lock> {
  const lock = await tryLock(host, path);
  if (!lock) {
    const pid = Number((await host.readFile(path))?.trim());
    throw new UserError(`another ${what} is running (pid ${pid}, lock ${path}); wait for it to finish`);
  }
  return lock;
}

export async function tryLock(host: Host, path: string): Promise<Lock | undefined> {
  await host.mkdir(path.slice(0, path.lastIndexOf('/')) || '/');
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await host.createExclusive(path, `${process.pid}\n`)) {
      return { release: () => host.remove(path) };
    }
    const pid = Number((await host.readFile(path))?.trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) return undefined;
    await host.remove(path); // stale: its process is gone
  }
  return undefined;
}
