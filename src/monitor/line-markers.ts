/**
 * Finds the few lines worth reading without looking at the others: each marker is searched
 * through the whole chunk at once, and only the lines holding a hit are handed out, in log order.
 */
import { afterLastNul, type LineFinder, type LineHandler } from './line-splitter.js';

const NL = 10;

/** Finds a marker in a chunk: a position inside its first occurrence at or after `from`, or -1. */
export interface Marker {
  find(view: Buffer, from: number): number;
}

/** A word with a rare first byte: Buffer.indexOf (memchr, then a check of the rest). */
export class Needle implements Marker {
  readonly bytes: Buffer;

  constructor(text: string) {
    this.bytes = Buffer.from(text, 'latin1');
  }

  find(view: Buffer, from: number): number {
    return view.indexOf(this.bytes, from);
  }
}

/**
 * The lines holding a word; once `narrowed()` answers true, only those of them whose last byte is
 * `last`. It must never answer false again: a chunk's lines are listed before any of them is read.
 */
export class NarrowingNeedle extends Needle {
  constructor(
    text: string,
    private readonly last: number,
    private readonly narrowed: () => boolean,
  ) {
    super(text);
  }

  override find(view: Buffer, from: number): number {
    let i = super.find(view, from);
    if (!this.narrowed()) return i;
    while (i >= 0) {
      const nl = view.indexOf(NL, i);
      if (nl < 0 || view[nl - 1] === this.last) return i;
      i = view.indexOf(this.bytes, nl + 1);
    }
    return -1;
  }
}

/**
 * Several markers that share a byte rarer than any of their first bytes (e.g. `_` in
 * `sasl_username=` and `quota_match`): one memchr pass for that byte, then the words around it.
 */
export class AnchoredWords implements Marker {
  private readonly words: { text: Buffer; offset: number }[];

  constructor(
    private readonly anchor: number,
    words: readonly string[],
  ) {
    this.words = words.map((w) => ({ text: Buffer.from(w, 'latin1'), offset: w.indexOf(String.fromCharCode(anchor)) }));
  }

  /** Position of the next word at or after `from` in view, or -1. */
  find(view: Buffer, from: number): number {
    let i = view.indexOf(this.anchor, from);
    while (i >= 0) {
      for (const w of this.words) if (wordAt(view, i - w.offset, w.text)) return i;
      i = view.indexOf(this.anchor, i + 1);
    }
    return -1;
  }
}

function wordAt(view: Buffer, at: number, word: Buffer): boolean {
  if (at < 0 || at + word.length > view.length) return false;
  for (let k = 0; k < word.length; k++) if (view[at + k] !== word[k]) return false;
  return true;
}

/** Markers that come and go with what the reader is waiting for (e.g. the queue id of a bounce). */
export interface MarkerSource {
  /** Changes whenever {@link dynamicMarkers} would answer differently. */
  readonly markerVersion: number;
  dynamicMarkers(): readonly Marker[];
}

/**
 * Hands out only the lines that hold a marker (a superset of what the line handler acts on).
 * The lines of the fixed markers are listed first for the whole chunk, in a loop that never
 * runs handler code; the handler then gets them in order, merged with the lines of the markers
 * it asks for on the way ({@link MarkerSource}).
 */
export class MarkedLines implements LineFinder {
  private readonly next: number[];
  /** The listed lines: where each starts (after a NUL run, if any), ends, and where its raw line starts. */
  private starts = new Int32Array(8192);
  private ends = new Int32Array(8192);
  private rawStarts = new Int32Array(8192);
  private dynamic: readonly Marker[] = [];
  private dynamicNext: number[] = [];

  constructor(
    private readonly markers: readonly Marker[],
    private readonly source: MarkerSource | undefined,
  ) {
    this.next = markers.map(() => -1);
  }

  lines(buf: Buffer, to: number, onLine: LineHandler): void {
    const view = buf.subarray(0, to);
    const count = this.list(view);
    const { starts, ends, rawStarts } = this;
    let version = this.source ? this.source.markerVersion : 0;
    this.refresh(view, 0);
    let i = 0;
    let nul = -2; // not looked for yet (-1: none left)
    for (;;) {
      let hit = -1;
      const dyn = this.dynamicNext;
      for (let k = 0; k < dyn.length; k++) {
        const x = dyn[k]!;
        if (x >= 0 && (hit < 0 || x < hit)) hit = x;
      }
      let start: number;
      let end: number;
      if (i < count && (hit < 0 || hit >= rawStarts[i]!)) {
        start = starts[i]!;
        end = ends[i]!;
        i++;
      } else if (hit >= 0) {
        start = view.lastIndexOf(NL, hit) + 1;
        end = view.indexOf(NL, hit);
        if (nul !== -1 && nul < start) nul = view.indexOf(0, start);
        if (nul >= 0 && nul < end) start = afterLastNul(buf, start, end);
      } else {
        return;
      }
      if (end > start) onLine(buf, start, end);
      const pos = end + 1;
      if (this.source && this.source.markerVersion !== version) {
        version = this.source.markerVersion;
        this.refresh(view, pos);
      } else {
        for (let k = 0; k < dyn.length; k++) if (dyn[k]! >= 0 && dyn[k]! < pos) dyn[k] = this.dynamic[k]!.find(view, pos);
      }
    }
  }

  /** Lists the lines that hold a fixed marker, in order; returns how many. */
  private list(view: Buffer): number {
    const { markers, next } = this;
    for (let k = 0; k < markers.length; k++) next[k] = markers[k]!.find(view, 0);
    let count = 0;
    let nul = view.indexOf(0);
    for (;;) {
      let hit = -1;
      for (let k = 0; k < next.length; k++) {
        const x = next[k]!;
        if (x >= 0 && (hit < 0 || x < hit)) hit = x;
      }
      if (hit < 0) return count;
      const rawStart = view.lastIndexOf(NL, hit) + 1;
      const end = view.indexOf(NL, hit);
      let start = rawStart;
      // A NUL run ends the line it interrupts: what follows the last NUL is the line.
      if (nul >= 0 && nul < rawStart) nul = view.indexOf(0, rawStart);
      if (nul >= 0 && nul < end) start = afterLastNul(view, rawStart, end);
      if (count === this.starts.length) this.grow();
      this.starts[count] = start;
      this.ends[count] = end;
      this.rawStarts[count] = rawStart;
      count++;
      const pos = end + 1;
      for (let k = 0; k < next.length; k++) if (next[k]! >= 0 && next[k]! < pos) next[k] = markers[k]!.find(view, pos);
    }
  }

  private grow(): void {
    const grown = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
    this.rawStarts = grown(this.rawStarts);
  }

  private refresh(view: Buffer, from: number): void {
    this.dynamic = this.source ? this.source.dynamicMarkers() : [];
    this.dynamicNext = this.dynamic.map((m) => m.find(view, from));
  }
}
