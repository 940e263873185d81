import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { userInfo } from 'node:os';
import * as path from 'node:path';
import type { ExecOptions, ExecResult, FileInfo, Host, WriteOptions } from './host.js';

const ZIMBRA_PATH = '/opt/zimbra/bin:/opt/zimbra/common/bin:/opt/zimbra/common/sbin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The host as it is: real processes, real files, optionally under a root folder (a sandbox). */
export class RealHost implements Host {
  readonly root: string;
  private readonly user = userInfo().username;

  constructor(root = '/') {
    this.root = path.resolve(root);
  }

  resolve(p: string): string {
    if (!path.isAbsolute(p)) return p;
    return this.root === '/' ? p : path.join(this.root, p);
  }

  currentUser(): string {
    return this.user;
  }

  async exec(command: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    let file = this.resolve(command);
    let argv = [...args];
    const env: Record<string, string> = { ...options.env };
    if (this.root !== '/') env.ZIMBRA_HARDEN_SANDBOX = this.root;
    // Switching user only makes sense on a real server; a sandbox runs as whoever owns it.
    if (options.user && options.user !== this.user && this.root === '/') {
      argv = ['-u', options.user, '--', 'env', `HOME=/opt/${options.user}`, `PATH=${ZIMBRA_PATH}`, file, ...argv];
      file = 'runuser';
    }
    const started = Date.now();
    const result = await execa(file, argv, {
      input: options.input ?? '',
      env,
      reject: false,
      timeout: options.timeoutMs,
      stripFinalNewline: false,
    });
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
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    await fs.writeFile(temp, content, { mode: 0o600, flag: 'wx' });
    try {
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

  async backup(p: string): Promise<string> {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    let backupPath = `${p}.zimbra-harden-${stamp}.bak`;
    for (let n = 1; await this.stat(backupPath); n++) backupPath = `${p}.zimbra-harden-${stamp}-${n}.bak`;
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
      return { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, size: s.size, isFile: s.isFile(), isDirectory: s.isDirectory() };
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

  async list(p: string): Promise<string[]> {
    try {
      return (await fs.readdir(this.resolve(p))).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
