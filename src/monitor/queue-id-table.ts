/**
 * Queue ids → a time and up to two strings, for the joins that see every message (SASL logins,
 * re-injected queue ids). Keeps at least the last `cap` entries set: two generations, the older
 * one dropped whole when the newer is full. The ids live as bytes in typed arrays: no object and
 * no string is made per entry, so the garbage collector has nothing to copy or promote.
 */
const KEY_MAX = 32;

/** One generation: an open-addressing table over entries numbered in insertion order. */
class Generation {
  size = 0;
  readonly keyBytes: Buffer;
  readonly keyLengths: Uint8Array;
  readonly hashes: Int32Array;
  readonly times: Float64Array;
  readonly first: (string | undefined)[];
  readonly second: (string | undefined)[];
  /** Keys too long for keyBytes (none in Postfix logs), by entry. */
  readonly longKeys = new Map<number, string>();
  /** Slot → entry + 1 (0: free). */
  private readonly slots: Int32Array;

  constructor(readonly cap: number) {
    this.keyBytes = Buffer.alloc(cap * KEY_MAX);
    this.keyLengths = new Uint8Array(cap);
    this.hashes = new Int32Array(cap);
    this.times = new Float64Array(cap);
    this.first = new Array<string | undefined>(cap).fill(undefined);
    this.second = new Array<string | undefined>(cap).fill(undefined);
    let n = 1;
    while (n < cap * 2) n <<= 1;
    this.slots = new Int32Array(n);
  }

  /** Empties it for reuse (typed arrays kept). */
  clear(): this {
    this.size = 0;
    this.slots.fill(0);
    this.first.fill(undefined);
    this.second.fill(undefined);
    this.longKeys.clear();
    return this;
  }

  find(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) return -1;
      if (this.hashes[e] === hash && this.keyIs(e, key)) return e;
    }
  }

  add(key: string, hash: number): number {
    const e = this.size++;
    this.hashes[e] = hash;
    if (key.length <= KEY_MAX) {
      this.keyLengths[e] = key.length;
      for (let i = 0; i < key.length; i++) this.keyBytes[e * KEY_MAX + i] = key.charCodeAt(i);
    } else {
      this.keyLengths[e] = 0;
      this.longKeys.set(e, key);
    }
    const mask = this.slots.length - 1;
    let s = hash & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
    return e;
  }

  keyOf(e: number): string {
    const n = this.keyLengths[e]!;
    if (n === 0) return this.longKeys.get(e) ?? '';
    return this.keyBytes.toString('latin1', e * KEY_MAX, e * KEY_MAX + n);
  }

  private keyIs(e: number, key: string): boolean {
    const n = this.keyLengths[e]!;
    if (n === 0) return this.longKeys.get(e) === key;
    if (n !== key.length) return false;
    const base = e * KEY_MAX;
    for (let i = 0; i < n; i++) if (this.keyBytes[base + i] !== key.charCodeAt(i)) return false;
    return true;
  }
}

/** Queue id keys are latin1 text: one byte per character. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h;
}

export interface QueueIdEntry {
  t: number;
  first: string | undefined;
  second: string | undefined;
}

export class QueueIdTable {
  private current: Generation;
  private previous: Generation;
  /** What the last {@link get} found (reused: no allocation per lookup). */
  readonly found: QueueIdEntry = { t: 0, first: undefined, second: undefined };

  constructor(private readonly cap: number) {
    this.current = new Generation(cap);
    this.previous = new Generation(0);
  }

  has(key: string): boolean {
    const h = hashOf(key);
    return this.current.find(key, h) >= 0 || this.previous.find(key, h) >= 0;
  }

  /** Fills {@link found} and returns true when `key` is known. */
  get(key: string): boolean {
    const h = hashOf(key);
    let g = this.current;
    let e = g.find(key, h);
    if (e < 0) {
      g = this.previous;
      e = g.find(key, h);
      if (e < 0) return false;
    }
    this.found.t = g.times[e]!;
    this.found.first = g.first[e];
    this.found.second = g.second[e];
    return true;
  }

  set(key: string, t: number, first?: string, second?: string): void {
    const h = hashOf(key);
    let e = this.current.find(key, h);
    if (e < 0) e = this.current.add(key, h);
    this.current.times[e] = t;
    this.current.first[e] = first;
    this.current.second[e] = second;
    if (this.current.size >= this.cap) {
      const old = this.previous;
      this.previous = this.current;
      this.current = old.cap === this.cap ? old.clear() : new Generation(this.cap);
    }
  }

  /** The entries of time `since` or later, older generation first, each in the order of insertion. */
  entries(since = Number.NEGATIVE_INFINITY): [string, QueueIdEntry][] {
    const out: [string, QueueIdEntry][] = [];
    for (const g of [this.previous, this.current]) {
      for (let e = 0; e < g.size; e++) if (g.times[e]! >= since) out.push([g.keyOf(e), { t: g.times[e]!, first: g.first[e], second: g.second[e] }]);
    }
    return out;
  }
}
