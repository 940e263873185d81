import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { closeSync, openSync, readSync } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Gunzip } from 'node:zlib';
import type { LineSplitter } from './line-splitter.js';

/** One file of a log: the live one or a rotated one (`.1`, `.2.gz`, `-20241030`, `-20241030.gz`). */
export interface LogFile {
  /** Host path (already resolved under --root). */
  hostPath: string;
  gz: boolean;
  live: boolean;
  dev: number;
  ino: number;
  size: number;
  mtime: Date;
  /** Rotation rank for equal modification times: higher is older. */
  age: number;
}

/** The live file and its rotated siblings, oldest first. */
export async function logFamily(hostPath: string): Promise<LogFile[]> {
  const dir = dirname(hostPath);
  const base = basename(hostPath);
  const names = await readdir(dir).catch(() => [] as string[]);
  const files: LogFile[] = [];
  for (const name of names) {
    let age: number;
    let gz = false;
    if (name === base) age = 0;
    else {
      if (!name.startsWith(base)) continue;
      const m = /^(?:\.(\d{1,3})|-(\d{8,10}))(\.gz)?$/.exec(name.slice(base.length));
      if (!m) continue;
      gz = m[3] !== undefined;
      age = m[1] !== undefined ? Number(m[1]) : 1e12 - Number(m[2]);
    }
    const s = await stat(join(dir, name)).catch(() => undefined);
    if (!s?.isFile()) continue;
    files.push({ hostPath: join(dir, name), gz, live: name === base, dev: s.dev, ino: s.ino, size: s.size, mtime: s.mtime, age });
  }
  return files.sort((a, b) => Number(a.live) - Number(b.live) || a.mtime.getTime() - b.mtime.getTime() || b.age - a.age);
}

/** The decompressed content of a .gz file, as a stream; zlib loads only for the rotated archives (a cron run reads the live log). */
async function gunzipped(path: string): Promise<Gunzip> {
  const { createGunzip } = await import('node:zlib');
  return createReadStream(path).pipe(createGunzip());
}

/** The first `length` bytes (decompressed for .gz), or fewer at end of file. */
export async function readHead(file: Pick<LogFile, 'hostPath' | 'gz'>, length: number): Promise<Buffer> {
  if (!file.gz) {
    const fh = await open(file.hostPath, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }
  const parts: Buffer[] = [];
  let got = 0;
  const stream = await gunzipped(file.hostPath);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      got += chunk.length;
      if (got >= length) break;
    }
  } catch {
    // a truncated archive: what was decompressed is the head
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, length);
}

export function hashOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

/**
 * Feeds the file from byte `from` (of its decompressed content) to the splitter. A rotated
 * file is finished: its last line counts even without a newline. Returns the stream offset
 * just past the last complete line.
 */
export async function feedFile(file: LogFile, from: number, splitter: LineSplitter, onDamage?: (why: string) => void): Promise<number> {
  if (file.gz) {
    let skip = from;
    const stream = await gunzipped(file.hostPath);
    let read = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (skip >= chunk.length) {
          skip -= chunk.length;
          continue;
        }
        splitter.push(skip > 0 ? chunk.subarray(skip) : chunk);
        read += chunk.length - skip;
        skip = 0;
      }
    } catch (error) {
      // a truncated or corrupt archive (logrotate killed mid-way, a full disk): keep what was readable, and say so
      const reason = (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'truncated' : 'corrupt';
      onDamage?.(`${file.hostPath} is a ${reason} archive (${(error as Error).message}): only its first ${(from + read).toLocaleString('en-US')} bytes could be read`);
    }
    splitter.finish();
    return from + splitter.consumed;
  }
  // Synchronous reads into the splitter's own buffer: no promise per chunk, no copy.
  const fd = openSync(file.hostPath, 'r');
  try {
    let position = from;
    for (;;) {
      const { offset, length } = splitter.space();
      const bytesRead = readSync(fd, splitter.buf, offset, length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      splitter.commit(bytesRead);
    }
  } finally {
    closeSync(fd);
  }
  if (!file.live) splitter.finish();
  return from + splitter.consumed;
}
