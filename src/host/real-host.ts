import * as fs from 'node:fs/promises';
import { userInfo } from 'node:os';
import * as path from 'node:path';
import { CommandTimeoutError, InterruptedError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, SANDBOX_USER_ENV, tempPathOf, type ExecOptions, type ExecResult, type FileInfo, type HeldLock, type Host, type WriteOptions } from './host.js';
import { flockFile } from './flock.js';
import { throwIfInterrupted, trackChild } from './interrupts.js';

const ZIMBRA_PATH = '/opt/zimbra/bin:/opt/zimbra/common/bin:/opt/zimbra/common/sbin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The host as it is: real processes, real files, optionally under a root folder (a sandbox). */
export class RealHost implements Host {
  readonly root: string;
  readonly simulated: boolean;
  private readonly user = userInfo().username;

  /**
   * Any root but "/" is a simulated server. A sandbox (DIR/.sandbox/sandbox.json) simulates
   * Zimbra's tools, which play the user switch. Any other folder (say, a copy of a server's logs
   * for `monitor` or `incident`) is treated alike: its files are read and written as the user
   * running zimbra-harden, which needs no root, and a command found under it runs as that user
   * too, since the folder has no zimbra user of its own to switch to.
   */
  constructor(root = '/') {
    this.root = path.resolve(root);
    this.simulated = this.root !== '/';
  }

  resolve(p: string): string {
    if (!path.isAbsolute(p)) return p;
    return this.root === '/' ? p : path.join(this.root, p);
  }

  currentUser(): string {
    return this.user;
  }

  async exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    // Loaded on the first command: a monitor run from cron often starts none.
    const { execa } = await import('execa');
    throwIfInterrupted();
    let file = this.resolve(command);
    let argv = [...args];
    const env: Record<string, string> = { ...options.env };
    if (this.simulated) {
      // A simulated server runs as whoever owns it; its tools are told whom they stand in for.
      env.ZIMBRA_HARDEN_SANDBOX = this.root;
      if (options.user) env[SANDBOX_USER_ENV] = options.user;
    } else if (options.user && options.user !== this.user) {
      argv = ['-u', options.user, '--', 'env', `HOME=/opt/${options.user}`, `PATH=${ZIMBRA_PATH}`, file, ...argv];
      file = 'runuser';
    }
    if (options.mergeStderr) {
      // A constant script; the command and its arguments stay separate words ("$@"), never parsed by the shell.
      argv = ['-c', 'exec "$@" 2>&1', 'sh', file, ...argv];
      file = '/bin/sh';
    }
    const label = describeCommand(command, args);
    const timeoutMs = commandTimeout(command, options.timeoutMs);
    const started = Date.now();
    // Its own process group: the terminal's Ctrl-C does not reach it, and a timeout stops all of it.
    const child = execa(file, argv, { input: options.input ?? '', env, reject: false, stripFinalNewline: false, detached: true });
    let timedOut = false;
    let stopped = false;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), 5_000).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, timeoutMs);
    const untrack = trackChild({
      label,
      finish: options.finishOnInterrupt ?? false,
      stop: () => {
        stopped = true;
        stop();
      },
    });
    const result = await child;
    clearTimeout(timer);
    untrack();
    if (timedOut) throw new CommandTimeoutError(label, timeoutMs);
    if (stopped) throw new InterruptedError(`interrupted: stopped ${label}; run it again to finish`);
    const failedToStart = result.exitCode === undefined && !result.isTerminated;
    return {
      command: [command, ...args],
      exitCode: result.exitCode ?? (result.isTerminated ? 128 + 15 : 127),
      stdout: String(result.stdout ?? ''),
      stderr: failedToStart ? String(result.stderr || result.shortMessage || '') : String(result.stderr ?? ''),
      failedToStart,
      durationMs: Date.now() - started,
    };
  }

  async readFile(p: string): Promise<string | undefined> {
    try {
      return await fs.readFile(this.resolve(p), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async writeFileAtomic(p: string, content: string, options: WriteOptions = {}): Promise<void> {
    const target = this.resolve(p);
    const existing = await this.stat(p);
    const temp = tempPathOf(target);
    // One predictable name per target: what a killed run left behind is replaced here, never piles up.
    await fs.rm(temp, { force: true });
    try {
      await fs.writeFile(temp, content, { mode: 0o600, flag: 'wx' });
      await fs.chmod(temp, options.mode ?? existing?.mode ?? 0o644);
      const uid = options.uid ?? existing?.uid;
      const gid = options.gid ?? existing?.gid;
      if (uid !== undefined && gid !== undefined && (uid !== process.getuid?.() || gid !== process.getgid?.())) {
        await fs.chown(temp, uid, gid);
      }
      if (options.validate) await options.validate(temp);
      await fs.rename(temp, target);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  async backup(p: string, backupDir: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const base = `${backupDir}${p}.${stamp}`;
    let backupPath = `${base}.bak`;
    for (let n = 1; await this.stat(backupPath); n++) backupPath = `${base}-${n}.bak`;
    // Only root may read the copies (config.php holds the web UI's database password).
    await fs.mkdir(this.resolve(backupDir), { recursive: true, mode: 0o700 });
    await fs.chmod(this.resolve(backupDir), 0o700);
    await fs.mkdir(path.dirname(this.resolve(backupPath)), { recursive: true, mode: 0o700 });
    await fs.copyFile(this.resolve(p), this.resolve(backupPath), fs.constants.COPYFILE_EXCL);
    const info = await this.stat(p);
    if (info) {
      await fs.chmod(this.resolve(backupPath), info.mode);
      if (info.uid !== process.getuid?.() || info.gid !== process.getgid?.()) {
        await fs.chown(this.resolve(backupPath), info.uid, info.gid);
      }
    }
    return backupPath;
  }

  async stat(p: string): Promise<FileInfo | undefined> {
    try {
      const s = await fs.stat(this.resolve(p));
      return { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, size: s.size, isFile: s.isFile(), isDirectory: s.isDirectory(), mtimeMs: s.mtimeMs };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async remove(p: string): Promise<void> {
    await fs.rm(this.resolve(p), { force: true });
  }

  async mkdir(p: string, mode = 0o755): Promise<void> {
    await fs.mkdir(this.resolve(p), { recursive: true, mode });
  }

  async createExclusive(p: string, content: string): Promise<boolean> {
    try {
      await fs.writeFile(this.resolve(p), content, { flag: 'wx', mode: 0o644 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  lockFile(p: string): Promise<HeldLock | undefined> {
    return flockFile(this.resolve(p));
  }

  async list(p: string): Promise<string[]> {
    try {
      return (await fs.readdir(this.resolve(p))).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }
}

/** "zmmtactl restart": the program's name and its first arguments, for messages. */
function describeCommand(command: string, args: readonly string[]): string {
  return [command.split('/').pop(), ...args.slice(0, 2)].join(' ');
}

/**
 * The time limit of one run: the caller's, unless ZIMBRA_HARDEN_TIMEOUTS names the program
 * ("zmcontrol=1800,zmprov=300": seconds; for a server slower than the defaults allow, and tests).
 */
function commandTimeout(command: string, given: number | undefined): number {
  const name = command.split('/').pop();
  for (const pair of (process.env.ZIMBRA_HARDEN_TIMEOUTS ?? '').split(',')) {
    const [key, value] = pair.split('=');
    const seconds = Number(value);
    if (key?.trim() === name && Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  }
  return given ?? DEFAULT_TIMEOUT_MS;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
