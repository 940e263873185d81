/**
 * Every side effect of zimbra-harden goes through this interface. The real implementation
 * runs commands with execa (argument arrays, never a shell) and writes files atomically;
 * with `--root DIR` every absolute path and command resolves under DIR.
 */
export interface ExecOptions {
  /** Text written to the command's standard input. */
  input?: string;
  /** Run as this system user (`zimbra` for Zimbra tools); ignored when already that user. */
  user?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Milliseconds before the command is killed. */
  timeoutMs?: number;
}

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

export interface Host {
  /** Root under which every absolute path resolves ("/" on a real server). */
  readonly root: string;
  /** Host path of an absolute server path (joins it under root). */
  resolve(path: string): string;
  /** Runs an absolute server command (resolved under root) or a bare system command. */
  exec(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  readFile(path: string): Promise<string | undefined>;
  /** Writes through a temporary file in the same folder, then renames it over the target. */
  writeFileAtomic(path: string, content: string, options?: WriteOptions): Promise<void>;
  /** Copies the file to `<path>.zimbra-harden-<timestamp>.bak`, keeping mode and owner; returns the backup path. */
  backup(path: string): Promise<string>;
  stat(path: string): Promise<FileInfo | undefined>;
  remove(path: string): Promise<void>;
  mkdir(path: string, mode?: number): Promise<void>;
  /** Creates a file only if it does not exist yet; false when it already exists. */
  createExclusive(path: string, content: string): Promise<boolean>;
  /** Names in a folder, empty when missing. */
  list(path: string): Promise<string[]>;
  /** Effective user name of this process. */
  currentUser(): string;
}
