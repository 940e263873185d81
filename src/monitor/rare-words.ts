import type { Marker } from './line-markers.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TABLE_BITS = 16;
const NONE = -1;

/**
 * Rare words without a rare first byte (`status=deferred`), all found in one pass that reads
 * only every few aligned 4-byte blocks: a word of L bytes always covers floor((L - 3) / 4)
 * consecutive aligned blocks, so looking at one block in that many cannot miss it. A block that
 * is a piece of some word (by a small hash table) is checked against the bytes around it.
 * Buffer.indexOf would make one slower Boyer-Moore-Horspool pass per word.
 */
export class RareWords implements Marker {
  private readonly words: Buffer[];
  private readonly stride: number;
  /** hash of a 4-byte block → the first piece with that hash, or NONE. */
  private readonly table = new Int16Array(1 << TABLE_BITS).fill(NONE);
  /** Each piece: its 4-byte value, the word, where in the word it is, and the next piece of the same hash. */
  private readonly pieces: { value: number; word: Buffer; offset: number; next: number }[] = [];

  constructor(words: readonly string[]) {
    this.words = words.map((w) => Buffer.from(w, 'latin1'));
    this.stride = Math.floor((Math.min(...this.words.map((w) => w.length)) - 3) / 4);
    if (this.stride < 1) throw new Error('RareWords: words of at least 7 bytes');
    for (const word of this.words) {
      for (let offset = 0; offset + 4 <= word.length; offset++) {
        const value = blockValue(word, offset);
        const h = hash(value);
        this.pieces.push({ value, word, offset, next: this.table[h]! });
        this.table[h] = this.pieces.length - 1;
      }
    }
  }

  /** Start of a word at or after `from` in view (the first one, when they are on different lines), or -1. */
  find(view: Buffer, from: number): number {
    // The blocks run up to 3 bytes past the view when its buffer has them: a word inside the view keeps all its blocks.
    const count = Math.min((view.length + 3) >>> 2, (view.buffer.byteLength - view.byteOffset) >>> 2);
    if (view.byteOffset % 4 !== 0 || count << 2 < view.length) return this.findSlowly(view, from);
    const blocks = new Uint32Array(view.buffer, view.byteOffset, count);
    const { table, stride } = this;
    let k = from >>> 2;
    // Four samples a turn: one branch for all four.
    for (const end = count - 3 * stride; k < end; k += 4 * stride) {
      if ((table[hash(blocks[k]!)]! & table[hash(blocks[k + stride]!)]! & table[hash(blocks[k + 2 * stride]!)]! & table[hash(blocks[k + 3 * stride]!)]!) === NONE) continue;
      for (let j = k; j <= k + 3 * stride; j += stride) {
        const found = this.around(view, j << 2, blocks[j]!, from);
        if (found >= 0) return found;
      }
    }
    for (; k < count; k += stride) {
      const found = this.around(view, k << 2, blocks[k]!, from);
      if (found >= 0) return found;
    }
    return -1;
  }

  /** The first word holding the block at `at` (of value `value`) and starting at or after `from`, or -1. */
  private around(view: Buffer, at: number, value: number, from: number): number {
    let best = -1;
    for (let i = this.table[hash(value)]!; i !== NONE; ) {
      const p = this.pieces[i]!;
      const start = at - p.offset;
      if (p.value === value && start >= from && (best < 0 || start < best) && matches(view, start, p.word)) best = start;
      i = p.next;
    }
    return best;
  }

  private findSlowly(view: Buffer, from: number): number {
    let best = -1;
    for (const w of this.words) {
      const i = view.indexOf(w, from);
      if (i >= 0 && (best < 0 || i < best)) best = i;
    }
    return best;
  }
}

function blockValue(bytes: Buffer, at: number): number {
  const [a, b, c, d] = [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!];
  return (LITTLE_ENDIAN ? (a | (b << 8) | (c << 16) | (d << 24)) : ((a << 24) | (b << 16) | (c << 8) | d)) >>> 0;
}

function hash(value: number): number {
  return Math.imul(value, 0x9e3779b1) >>> (32 - TABLE_BITS);
}

/** The last byte first: a word sharing its first bytes with every line (`postfix/…`, `status=…`) is told apart at once. */
function matches(view: Buffer, at: number, word: Buffer): boolean {
  const last = word.length - 1;
  if (at < 0 || at + word.length > view.length || view[at + last] !== word[last]) return false;
  for (let k = 0; k < last; k++) if (view[at + k] !== word[k]) return false;
  return true;
}
