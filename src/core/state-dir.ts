/** zimbra-harden's own state on the server: root-owned, never served, kept across runs. */
import { CannotWriteError } from '../errors.js';
import type { Host } from '../host/host.js';

export const STATE_DIR = '/var/lib/zimbra-harden';
/** Copies of every file apply replaced (outside any web server's document root). */
export const BACKUP_DIR = `${STATE_DIR}/backups`;

/**
 * Fails (exit 73) unless the state folder can be written, before anything is read or sent: a
 * monitor that cannot save where it stopped would mail the same findings on every run.
 */
export async function assertStateWritable(host: Host, what: string): Promise<void> {
  const probe = `${STATE_DIR}/.write-check`;
  try {
    await host.mkdir(STATE_DIR, 0o755);
    await host.writeFileAtomic(probe, '', { mode: 0o600 });
    await host.remove(probe);
  } catch (error) {
    throw new CannotWriteError(`cannot write ${host.resolve(STATE_DIR)} (${(error as Error).message}); ${what}`, { cause: error });
  }
}
