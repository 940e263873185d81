/**
 * A Map that forgets: entries older than `horizonMs` (log time) and the oldest ones beyond
 * `cap` are dropped, so memory stays flat however long the log is. Insertion order is log order.
 */
export class AgingMap<V extends { t: number }> {
  readonly map = new Map<string, V>();

  constructor(
    private readonly horizonMs: number,
    private readonly cap: number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    return this.map.get(key);
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  set(key: string, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.cap) this.map.delete(this.map.keys().next().value as string);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  /** Drops what is older than the horizon at log time `now`. */
  expire(now: number): void {
    const limit = now - this.horizonMs;
    for (const [key, value] of this.map) {
      if (value.t >= limit) break;
      this.map.delete(key);
    }
  }

  entries(): [string, V][] {
    return [...this.map];
  }

  load(entries: readonly (readonly [string, V])[]): void {
    for (const [k, v] of entries) this.set(k, v);
  }
}

const BITS = 1 << 22; // 4 Mbit = 512 KiB per generation

/** Two FNV-1a hashes of value at once (seeds 0x811c9dc5 and 0x2545f491), as bit positions. */
function hashes(value: string, out: Int32Array): void {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  out[0] = (a >>> 0) & (BITS - 1);
  out[1] = (b >>> 0) & (BITS - 1);
}

/**
 * Remembers (probabilistically: a Bloom filter, no allocation per value) at least the last `cap`
 * values added; two generations, the older dropped when the newer is full. A false "yes" is rare
 * and only hides one event.
 */
export class RecentSet {
  private current = new Uint32Array(BITS / 32);
  private previous = new Uint32Array(BITS / 32);
  private count = 0;
  constructor(private readonly cap: number) {}

  private readonly bits = new Int32Array(2);

  add(value: string): void {
    hashes(value, this.bits);
    const a = this.bits[0]!;
    const b = this.bits[1]!;
    this.current[a >>> 5]! |= 1 << (a & 31);
    this.current[b >>> 5]! |= 1 << (b & 31);
    if (++this.count >= this.cap) {
      [this.previous, this.current] = [this.current, this.previous];
      this.current.fill(0);
      this.count = 0;
    }
  }

  has(value: string): boolean {
    hashes(value, this.bits);
    const a = this.bits[0]!;
    const b = this.bits[1]!;
    const inOne = (bits: Uint32Array) => (bits[a >>> 5]! & (1 << (a & 31))) !== 0 && (bits[b >>> 5]! & (1 << (b & 31))) !== 0;
    return inOne(this.current) || inOne(this.previous);
  }
}
