/** What every simulated command gets: its sandbox, its arguments, and synchronous standard streams. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SandboxMeta } from '../state.js';
import type { VersionProfile } from '../versions.js';

export interface ToolContext {
  /** The sandbox root (the folder playing the role of "/"). */
  root: string;
  tool: string;
  args: string[];
  meta: SandboxMeta;
  profile: VersionProfile;
  out(text: string): void;
  err(text: string): void;
  /** Next line of standard input without its newline, or undefined at end of input. */
  readLine(): string | undefined;
  /** Host path of an absolute server path. */
  host(serverPath: string): string;
  /** The user it runs as on a server (`runuser -u`), which it must not read past (run-as.ts); undefined: the caller, standing for root. */
  user?: string;
  /** Filled by tools that must log what they read from standard input. */
  recordedStdin?: string[];
  /** The arguments as they may be logged, when they hold a secret (a password). */
  recordedArgv?: string[];
}

export type Tool = (ctx: ToolContext) => number;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Writes all of text to a file descriptor, waiting out EAGAIN on non-blocking pipes. */
export function writeAllSync(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) {
    try {
      offset += fs.writeSync(fd, buffer, offset, buffer.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return; // the reader went away (e.g. `| head -1`)
      if (code !== 'EAGAIN') throw error;
      sleepSync(2);
    }
  }
}

/** A synchronous line reader over a file descriptor (standard input is 0). */
export function lineReader(fd: number): () => string | undefined {
  let pending = Buffer.alloc(0);
  let eof = false;
  const chunk = Buffer.alloc(65536);
  return () => {
    for (;;) {
      const nl = pending.indexOf(10);
      if (nl >= 0) {
        const line = pending.subarray(0, nl).toString('utf8').replace(/\r$/, '');
        pending = pending.subarray(nl + 1);
        return line;
      }
      if (eof) {
        if (pending.length === 0) return undefined;
        const line = pending.toString('utf8');
        pending = Buffer.alloc(0);
        return line;
      }
      let n: number;
      try {
        n = fs.readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          sleepSync(2);
          continue;
        }
        if (code === 'EOF') n = 0;
        else throw error;
      }
      if (n === 0) eof = true;
      else pending = Buffer.concat([pending, chunk.subarray(0, n)]);
    }
  };
}

export function hostPath(root: string, serverPath: string): string {
  return path.join(root, serverPath);
}
