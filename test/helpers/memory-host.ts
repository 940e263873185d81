/**
 * A Host held in memory for tests of the engine and the controls: files in a Map (with mode and
 * owner), commands answered from a table, and a journal of every command and change in the order
 * they happened. No process is started, so a test of ordering or failure handling takes
 * milliseconds; the simulated host (test/e2e) stays the judge of faithfulness to the real tools.
 */
import { throwIfInterrupted } from '../../src/host/interrupts.js';
import { tempPathOf, type ExecOptions, type ExecResult, type FileInfo, type HeldLock, type Host, type WriteOptions } from '../../src/host/host.js';
import { parseLine } from '../../src/simulation/sandbox/tools/zmprov/parse.js';

export interface MemoryFile {
  content: string;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
}

/** What a scripted command answers; missing fields are an empty, successful run. */
export type Reply = Partial<Pick<ExecResult, 'exitCode' | 'stdout' | 'stderr' | 'failedToStart'>>;

/** Answers one run of a command; `input` is what was written to its standard input. */
export type Responder = (args: readonly string[], options: ExecOptions) => Reply | Promise<Reply>;

export interface ExecCall {
  command: string;
  args: string[];
  options: ExecOptions;
}

/** One zmprov batch command's answer: its output, or the service error zmprov prints for it. */
export type ZmprovAnswer = string | { error: string };

export interface ZmprovScript {
  /** Answers each command of the batch (argv as zmprov parsed it); default: no output. */
  answer?: (argv: string[]) => ZmprovAnswer;
  /**
   * The process dies (killed, JVM crash) while it runs the command at this index of a batch:
   * that command and the later ones never complete, and no prompt follows.
   */
  diesAt?: { batch: number; command: number };
}

/**
 * zmprov -l reading commands from standard input, as the real one answers: `prov> ` before each
 * line, the command's output, `ERROR: code (message)` for a failed command (and on to the next),
 * exit 2 when a command failed; a process that dies stops mid-batch without a further prompt.
 */
export function zmprovBatch(script: ZmprovScript = {}): Responder {
  let batches = 0;
  return (args, options) => {
    if (args[0] !== '-l') throw new Error(`zmprov run without -l: ${args.join(' ')}`);
    const batch = batches++;
    const lines = (options.input ?? '').split('\n');
    let out = '';
    let failed = false;
    for (const [n, line] of lines.entries()) {
      out += 'prov> ';
      const argv = parseLine(line);
      if (argv.length === 0) continue;
      if (argv[0] === 'exit') return { exitCode: failed ? 2 : 0, stdout: out };
      if (script.diesAt?.batch === batch && script.diesAt.command === n) return { exitCode: 137, stdout: out };
      const answer = script.answer?.(argv) ?? '';
      if (typeof answer === 'string') out += answer;
      else {
        failed = true;
        out += `ERROR: service.FAILURE (${answer.error})\n`;
      }
    }
    return { exitCode: failed ? 2 : 0, stdout: out };
  };
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

export class MemoryHost implements Host {
  readonly root = '/';
  /** It plays a real server: paths are the server's, commands are asked to switch user. */
  readonly simulated = false;
  readonly files = new Map<string, MemoryFile>();
  readonly dirs = new Set<string>(['/']);
  /** Commands by absolute path (or bare name); an unknown command fails to start, as a missing binary does. */
  readonly commands = new Map<string, Responder>();
  readonly calls: ExecCall[] = [];
  /** Every command run and every change made, in order: `run CMD ARGS`, `write PATH`, `remove PATH`, `backup PATH`. */
  readonly journal: string[] = [];
  /** Paths whose writes fail (a full disk, a read-only folder). */
  readonly failingWrites = new Set<string>();
  private clock = Date.UTC(2026, 0, 1);

  constructor(private readonly user = 'root') {}

  resolve(path: string): string {
    return path;
  }

  currentUser(): string {
    return this.user;
  }

  /** Puts a file (and its folders) in place without journaling it: the server as the test found it. */
  put(path: string, content: string, meta: Partial<Omit<MemoryFile, 'content'>> = {}): this {
    this.addDirs(parentOf(path));
    this.files.set(path, { content, mode: 0o644, uid: 0, gid: 0, mtimeMs: this.tick(), ...meta });
    return this;
  }

  on(command: string, responder: Responder | Reply): this {
    this.commands.set(command, typeof responder === 'function' ? responder : () => responder);
    return this;
  }

  async exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    throwIfInterrupted();
    this.calls.push({ command, args: [...args], options });
    this.journal.push(`run ${[command.split('/').pop(), ...args].join(' ')}`);
    const responder = this.commands.get(command);
    const base = { command: [command, ...args], durationMs: 0 };
    if (!responder) return { ...base, exitCode: -1, stdout: '', stderr: `${command}: not found`, failedToStart: true };
    const reply = await responder(args, options);
    return { ...base, exitCode: 0, stdout: '', stderr: '', failedToStart: false, ...reply };
  }

  async readFile(path: string): Promise<string | undefined> {
    return this.files.get(path)?.content;
  }

  async writeFileAtomic(path: string, content: string, options: WriteOptions = {}): Promise<void> {
    if (!this.dirs.has(parentOf(path))) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    if (this.failingWrites.has(path)) throw new Error(`ENOSPC: no space left on device, write '${path}'`);
    const before = this.files.get(path);
    await options.validate?.(tempPathOf(path));
    this.files.set(path, {
      content,
      mode: options.mode ?? before?.mode ?? 0o644,
      uid: options.uid ?? before?.uid ?? 0,
      gid: options.gid ?? before?.gid ?? 0,
      mtimeMs: this.tick(),
    });
    this.journal.push(`write ${path}`);
  }

  async backup(path: string, backupDir: string): Promise<string> {
    const file = this.files.get(path);
    if (!file) throw new Error(`ENOENT: no such file or directory, copyfile '${path}'`);
    const copy = `${backupDir}${path}.${this.tick()}.bak`;
    this.put(copy, file.content, { mode: file.mode, uid: file.uid, gid: file.gid });
    this.journal.push(`backup ${path}`);
    return copy;
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    const file = this.files.get(path);
    if (file) return { mode: file.mode, uid: file.uid, gid: file.gid, size: file.content.length, isFile: true, isDirectory: false, mtimeMs: file.mtimeMs };
    if (this.dirs.has(path)) return { mode: 0o755, uid: 0, gid: 0, size: 4096, isFile: false, isDirectory: true, mtimeMs: 0 };
    return undefined;
  }

  async remove(path: string): Promise<void> {
    if (this.files.delete(path)) this.journal.push(`remove ${path}`);
  }

  async mkdir(path: string): Promise<void> {
    this.addDirs(path);
  }

  async createExclusive(path: string, content: string): Promise<boolean> {
    if (this.files.has(path)) return false;
    await this.writeFileAtomic(path, content);
    return true;
  }

  async list(path: string): Promise<string[]> {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = [...this.files.keys(), ...this.dirs].filter((p) => p.startsWith(prefix) && p !== prefix).map((p) => p.slice(prefix.length).split('/')[0]!);
    return [...new Set(names)].sort();
  }

  private readonly locks = new Set<string>();

  async lockFile(path: string): Promise<HeldLock | undefined> {
    if (this.locks.has(path)) return undefined;
    this.locks.add(path);
    return { release: async () => void this.locks.delete(path) };
  }

  private addDirs(path: string): void {
    for (let p = path; !this.dirs.has(p); p = parentOf(p)) this.dirs.add(p);
  }

  private tick(): number {
    return (this.clock += 1000);
  }
}
