/**
 * Splits a byte stream into lines without decoding it, with one reused buffer (flat memory).
 * Survives what a crash leaves in a log: a NUL run ends the line it interrupts (the text after
 * the run is a new line), and a line with no newline for `maxLine` bytes is cut down to its tail.
 */
export type LineHandler = (buf: Buffer, start: number, end: number) => void;

/** Chooses which lines of buf[0, to) reach the handler (`to` is just past a newline). */
export interface LineFinder {
  lines(buf: Buffer, to: number, onLine: LineHandler): void;
}

const NL = 10;

/** Every line. */
export const everyLine: LineFinder = {
  lines(buf: Buffer, to: number, onLine: LineHandler): void {
    const view = buf.subarray(0, to);
    let p = 0;
    let nul = view.indexOf(0);
    for (;;) {
      const e = view.indexOf(NL, p);
      if (e < 0) break;
      let start = p;
      if (nul >= 0 && nul < e) {
        start = afterLastNul(buf, p, e);
        nul = view.indexOf(0, e);
      }
      if (e > start) onLine(buf, start, e);
      p = e + 1;
    }
  },
};

/** Where the line buf[from, to) starts once a NUL run in it is cut off: after its last NUL. */
export function afterLastNul(buf: Buffer, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (buf[i] === 0) return i + 1;
  return from;
}

export class LineSplitter {
  readonly buf: Buffer;
  private filled = 0;
  /** Stream offset of buf[0]. */
  private base = 0;

  constructor(
    private readonly onLine: LineHandler,
    size = 4 << 20,
    private readonly maxLine = 64 << 10,
    private readonly finder: LineFinder = everyLine,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 2 * maxLine));
  }

  /** Starts a new stream (the buffer is kept). */
  reset(): void {
    this.filled = 0;
    this.base = 0;
  }

  /** Stream offset just past the last complete line handed out. */
  get consumed(): number {
    return this.base;
  }

  /** Free space for a direct read: write at `offset`, at most `length` bytes, then call {@link commit}. */
  space(): { offset: number; length: number } {
    return { offset: this.filled, length: this.buf.length - this.filled };
  }

  commit(count: number): void {
    this.filled += count;
    this.process();
  }

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const n = Math.min(chunk.length - at, this.buf.length - this.filled);
      chunk.copy(this.buf, this.filled, at, at + n);
      at += n;
      this.commit(n);
    }
  }

  /** End of a file that will not grow: its last line counts even without a newline. */
  finish(): void {
    if (this.filled > 0) {
      const start = afterLastNul(this.buf, 0, this.filled);
      if (start < this.filled) this.onLine(this.buf, start, this.filled);
      this.base += this.filled;
      this.filled = 0;
    }
  }

  private process(): void {
    let p = this.buf.lastIndexOf(NL, this.filled - 1) + 1;
    if (p > 0) this.finder.lines(this.buf, p, this.onLine);
    let tail = this.filled - p;
    if (tail > this.maxLine) {
      // A line this long is junk (or a NUL run): keep only its end.
      p = this.filled - this.maxLine;
      tail = this.maxLine;
    }
    if (p > 0) {
      this.buf.copy(this.buf, 0, p, this.filled);
      this.base += p;
      this.filled = tail;
    }
  }
}
