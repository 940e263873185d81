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

function hash(value: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return (h >>> 0) & (BITS - 1);
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

  add(value: string): void {
    const a = hash(value, 0x811c9dc5);
    const b = hash(value, 0x2545f491);
    this.current[a >>> 5]! |= 1 << (a & 31);
    this.current[b >>> 5]! |= 1 << (b & 31);
    if (++this.count >= this.cap) {
      [this.previous, this.current] = [this.current, this.previous];
      this.current.fill(0);
      this.count = 0;
    }
  }

  has(value: string): boolean {
    const a = hash(value, 0x811c9dc5);
    const b = hash(value, 0x2545f491);
    const inOne = (bits: Uint32Array) => (bits[a >>> 5]! & (1 << (a & 31))) !== 0 && (bits[b >>> 5]! & (1 << (b & 31))) !== 0;
    return inOne(this.current) || inOne(this.previous);
  }
}

/**
 * An exact map that keeps at least the last `cap` entries set: two generations, the older one
 * dropped whole when the newer is full. Cheaper than per-entry ageing on the hot path.
 */
export class GenerationalMap<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly cap: number) {}

  get(key: string): V | undefined {
    return this.current.get(key) ?? this.previous.get(key);
  }

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  set(key: string, value: V): void {
    this.current.set(key, value);
    if (this.current.size >= this.cap) {
      this.previous = this.current;
      this.current = new Map();
    }
  }

  entries(): [string, V][] {
    return [...this.previous, ...this.current];
  }

  load(entries: readonly (readonly [string, V])[]): void {
    for (const [k, v] of entries) this.set(k, v);
  }
}
