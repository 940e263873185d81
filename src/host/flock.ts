/**
 * flock(2) for Node, which has none: we open the lock file and hand that descriptor to
 * util-linux's `flock --nonblock 3` (present on every platform Zimbra runs on). flock locks
 * belong to the open file description, which the child shares with us, so the lock stays held
 * by our descriptor after `flock` exits, and the kernel releases it when we close it or die,
 * even by SIGKILL. No native module to build, no pid file that a dead or reused pid can fake.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import type { HeldLock } from './host.js';

const BUSY = 75;

/** A lock folder that others can write lets anyone plant or swap the lock file: refuse it. */
async function checkFolder(dir: string): Promise<void> {
  const info = await fs.stat(dir);
  const me = process.getuid?.() ?? 0;
  if ((info.mode & 0o022) !== 0 || (info.uid !== 0 && info.uid !== me)) {
    throw new UserError(`refusing to lock in ${dir}: the folder is writable by others or not owned by root (mode ${(info.mode & 0o7777).toString(8)}, uid ${info.uid}); use a root-owned folder with mode 755 or 700`);
  }
}

export async function flockFile(file: string): Promise<HeldLock | undefined> {
  await checkFolder(path.dirname(file));
  const { O_RDWR, O_CREAT, O_NOFOLLOW } = fs.constants;
  const handle = await fs.open(file, O_RDWR | O_CREAT | O_NOFOLLOW, 0o600);
  const result = spawnSync('flock', ['--nonblock', '--exclusive', '--conflict-exit-code', String(BUSY), '3'], {
    stdio: ['ignore', 'ignore', 'pipe', handle.fd],
    encoding: 'utf8',
  });
  if (result.status === BUSY) {
    await handle.close();
    return undefined;
  }
  if (result.status !== 0) {
    await handle.close();
    throw new UserError(`cannot lock ${file}: flock ${result.error ? result.error.message : `exited ${result.status}: ${result.stderr.trim()}`}`);
  }
  // For the "who holds it" message only; the lock itself is the flock.
  await handle.truncate(0);
  await handle.write(`${process.pid}\n`, 0);
  return { release: () => handle.close() };
}
