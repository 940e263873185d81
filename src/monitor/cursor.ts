import { hashOf, readHead, type LogFile } from './log-files.js';

/** Where the previous run stopped in one log, and how to recognise that file after a rotation. */
export interface Cursor {
  /** Host path the file had then (for messages only: rotation renames it). */
  path: string;
  dev: number;
  ino: number;
  /** Bytes (decompressed) already read. */
  offset: number;
  /** Hash of the file's first `headLength` bytes: survives renaming and compression, not truncation. */
  headLength: number;
  headHash: string;
}

export interface ReadStep {
  file: LogFile;
  from: number;
  /** Read only to learn what is usual (the first run's rotated logs): nothing found there is reported. */
  learn?: boolean;
}

/** How far back the first run learns from rotated logs: the detectors' history is two weeks. */
const LEARN_MS = 14 * 86_400_000;

/** The rotated files of the last two weeks, oldest first, to learn from before the first run reads the live file. */
export function learningSteps(family: LogFile[], now: number): ReadStep[] {
  return family.filter((f) => !f.live && f.mtime.getTime() >= now - LEARN_MS).map((file) => ({ file, from: 0, learn: true }));
}

const HEAD = 1024;

async function matches(file: LogFile, cursor: Cursor): Promise<boolean> {
  if (!file.gz && file.size < Math.max(cursor.offset, cursor.headLength)) return false;
  const head = await readHead(file, cursor.headLength);
  return head.length === cursor.headLength && hashOf(head) === cursor.headHash;
}

/**
 * What to read in a log family (oldest first) to get exactly the lines written since `cursor`:
 * the file the cursor is in (found by content, whether it was renamed, compressed or copied
 * away by copytruncate) from its offset, then every newer file from the start.
 * Without a cursor: the live file from the start. A lost cursor also restarts the live file.
 */
export async function planReads(family: LogFile[], cursor: Cursor | undefined): Promise<{ steps: ReadStep[]; lost: boolean }> {
  const live = family.find((f) => f.live);
  if (!cursor) return { steps: live ? [{ file: live, from: 0 }] : [], lost: false };
  // The same inode first (the usual case: the live file has grown), then newest to oldest.
  const order = [...family.keys()].sort((a, b) => {
    const same = (i: number) => Number(family[i]!.dev === cursor.dev && family[i]!.ino === cursor.ino);
    return same(b) - same(a) || b - a;
  });
  for (const i of order) {
    if (await matches(family[i]!, cursor)) {
      const steps = [{ file: family[i]!, from: cursor.offset }, ...family.slice(i + 1).map((file) => ({ file, from: 0 }))];
      return { steps, lost: false };
    }
  }
  return { steps: live ? [{ file: live, from: 0 }] : [], lost: true };
}

/** The cursor after reading `file` up to `offset`. */
export async function cursorAt(file: LogFile, offset: number): Promise<Cursor> {
  const headLength = Math.min(HEAD, offset);
  const head = await readHead(file, headLength);
  return { path: file.hostPath, dev: file.dev, ino: file.ino, offset, headLength: head.length, headHash: hashOf(head) };
}
