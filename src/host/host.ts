/**
 * Every side effect of zimbra-harden goes through this interface. The real implementation
 * runs commands with execa (argument arrays, never a shell) and writes files atomically;
 * with `--root DIR` every absolute path and command resolves under DIR.
 */
export interface ExecOptions {
  /** Text written to the command's standard input. */
  input?: string;
  /**
   * Run as this system user (`zimbra` for Zimbra tools); ignored when already that user. On a
   * simulated server the command runs as its owner and is told the user, which a sandbox's tools
   * obey: they refuse to read what that user could not read on a server.
   */
  user?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /**
   * Milliseconds before the command (its whole process group) is stopped and exec throws
   * CommandTimeoutError naming it; default DEFAULT_TIMEOUT_MS.
   */
  timeoutMs?: number;
  /** On Ctrl-C/SIGTERM let it finish instead of stopping it (service restarts). */
  finishOnInterrupt?: boolean;
  /** Send stderr to the same pipe as stdout, so the output keeps the order the command wrote it in. */
  mergeStderr?: boolean;
}

/**
 * `.NAME.zimbra-harden.tmp` beside a file (a server or host path): where writeFileAtomic writes
 * before its rename, which is atomic only within one filesystem.
 */
export function tempPathOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return `${file.slice(0, slash + 1)}.${file.slice(slash + 1)}.zimbra-harden.tmp`;
}

/** How a simulated server's tools learn the user a command runs as (ExecOptions.user). */
export const SANDBOX_USER_ENV = 'ZIMBRA_HARDEN_SANDBOX_USER';

/** Time limit of a command that names none. */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface ExecResult {
  /** argv as run, for messages and logs. */
  command: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  /** true when the command could not be started at all (not found, not executable). */
  failedToStart: boolean;
  durationMs: number;
}

export interface FileInfo {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  isFile: boolean;
  isDirectory: boolean;
  /** Last modification, in milliseconds since the epoch. */
  mtimeMs: number;
}

export interface WriteOptions {
  /** Permission bits; default: those of the file being replaced, else 0o644. */
  mode?: number;
  /** Owner; default: that of the file being replaced. */
  uid?: number;
  gid?: number;
  /**
   * Run on the temporary file before it replaces the target; throw to abort.
   * Gets the host path of the temporary file.
   */
  validate?: (tempHostPath: string) => Promise<void>;
}

export interface HeldLock {
  release(): Promise<void>;
}

export interface Host {
  /** Root under which every absolute path resolves ("/" on a real server). */
  readonly root: string;
  /**
   * false on this machine's own server. true when a folder stands for the server (`--root DIR`:
   * a sandbox, or a copy of a server's files): it belongs to whoever owns it, so nothing needs
   * root and no command switches user (a sandbox's tools play the switch themselves).
   */
  readonly simulated: boolean;
  /** Host path of an absolute server path (joins it under root). */
  resolve(path: string): string;
  /** Runs an absolute server command (resolved under root) or a bare system command. */
  exec(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  readFile(path: string): Promise<string | undefined>;
  /**
   * Writes through `.NAME.zimbra-harden.tmp` in the same folder, then renames it over the target;
   * the temporary file is removed on any error (a full disk included).
   */
  writeFileAtomic(path: string, content: string, options?: WriteOptions): Promise<void>;
  /**
   * Copies the file to `<backupDir><path>.<timestamp>.bak` (a root-only folder, never beside the
   * file: a web UI's folder would serve it), keeping mode and owner; returns the backup path.
   */
  backup(path: string, backupDir: string): Promise<string>;
  stat(path: string): Promise<FileInfo | undefined>;
  remove(path: string): Promise<void>;
  mkdir(path: string, mode?: number): Promise<void>;
  /** Creates a file only if it does not exist yet; false when it already exists. */
  createExclusive(path: string, content: string): Promise<boolean>;
  /** Names in a folder, empty when missing. */
  list(path: string): Promise<string[]>;
  /**
   * Takes an exclusive flock(2) lock on a file in a folder that only its owner (root, or the
   * sandbox's owner) can write; undefined when another process holds it. The kernel drops the
   * lock when this process ends in any way, so a lock is never stale.
   */
  lockFile(path: string): Promise<HeldLock | undefined>;
  /** Effective user name of this process. */
  currentUser(): string;
}

/**
 * What reading the server needs and no more: commands that only look (zmcontrol -v, postconf,
 * `status`), file reads and listings. Controls gather their facts through it, so a control's
 * reading cannot change the server.
 */
export type ReadHost = Pick<Host, 'root' | 'simulated' | 'resolve' | 'exec' | 'readFile' | 'stat' | 'list' | 'currentUser'>;
