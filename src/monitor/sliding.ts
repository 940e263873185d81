/** Counts over a sliding window of log time, in buckets of window/12: constant memory. */
export class SlidingCount {
  total = 0;
  /** Bucket starts and counts from `head` on (parallel arrays: no object per bucket). */
  private starts: number[] = [];
  private counts: number[] = [];
  private head = 0;
  private readonly bucketMs: number;

  constructor(private readonly windowMs: number) {
    this.bucketMs = Math.max(1000, Math.floor(windowMs / 12));
  }

  /** The live buckets as [start, count] pairs. */
  get buckets(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = this.head; i < this.starts.length; i++) out.push([this.starts[i]!, this.counts[i]!]);
    return out;
  }

  add(t: number, n: number): void {
    const b = t - (t % this.bucketMs);
    const last = this.starts.length - 1;
    if (last >= this.head && this.starts[last]! >= b) this.counts[last]! += n;
    else {
      this.starts.push(b);
      this.counts.push(n);
    }
    this.total += n;
    this.expire(t);
  }

  expire(t: number): void {
    const limit = t - this.windowMs;
    while (this.head < this.starts.length && this.starts[this.head]! <= limit) this.total -= this.counts[this.head++]!;
    if (this.head >= 64) {
      this.starts = this.starts.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.head = 0;
    }
  }

  load(buckets: [number, number][]): void {
    this.starts = buckets.map(([b]) => b);
    this.counts = buckets.map(([, n]) => n);
    this.head = 0;
    this.total = buckets.reduce((sum, [, n]) => sum + n, 0);
  }
}

/** Distinct values seen within the window, at most `cap` of them (past the cap the exact number no longer matters). */
export class SlidingDistinct {
  readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private cap: number,
  ) {}

  setCap(cap: number): void {
    this.cap = Math.max(this.cap, cap);
  }

  add(t: number, value: string): void {
    if (this.seen.has(value)) this.seen.delete(value);
    else if (this.seen.size >= this.cap) this.expire(t);
    if (this.seen.size < this.cap || this.seen.has(value)) this.seen.set(value, t);
  }

  count(t: number): number {
    this.expire(t);
    return this.seen.size;
  }

  expire(t: number): void {
    const limit = t - this.windowMs;
    for (const [v, seen] of this.seen) {
      if (seen > limit) break;
      this.seen.delete(v);
    }
  }

  load(entries: [string, number][]): void {
    for (const [v, t] of entries) this.seen.set(v, t);
  }
}
