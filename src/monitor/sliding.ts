/** Counts over a sliding window of log time, in buckets of window/12: constant memory. */
export class SlidingCount {
  buckets: [number, number][] = [];
  total = 0;
  private readonly bucketMs: number;

  constructor(private readonly windowMs: number) {
    this.bucketMs = Math.max(1000, Math.floor(windowMs / 12));
  }

  add(t: number, n: number): void {
    const b = t - (t % this.bucketMs);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last[0] >= b) last[1] += n;
    else this.buckets.push([b, n]);
    this.total += n;
    this.expire(t);
  }

  expire(t: number): void {
    while (this.buckets.length > 0 && this.buckets[0]![0] <= t - this.windowMs) this.total -= this.buckets.shift()![1];
  }

  load(buckets: [number, number][]): void {
    this.buckets = buckets.map(([b, n]) => [b, n]);
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
