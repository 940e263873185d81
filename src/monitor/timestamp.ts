/**
 * Timestamps of the three formats found in Zimbra logs:
 * classic syslog `Oct 30 08:49:20` (local time, no year), RFC 3339
 * `2024-10-30T08:49:20.123456+01:00`, and cbpolicyd's own `[2024/10/30-08:49:20 - 1234]`.
 */

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Gives years to year-less syslog dates: starts from a reference date (the file's modification
 * time: its last line is not in the future) and moves to the next year when December is followed by January.
 */
export class YearTracker {
  private year: number | undefined;
  private lastMonth = -1;
  private hourCache = new Map<number, number>();

  constructor(private readonly reference: Date) {}

  /** Epoch milliseconds of a local syslog date. */
  resolve(month: number, day: number, h: number, m: number, s: number): number {
    if (this.year === undefined) {
      // A file cannot hold a line from after its last write (a day's grace for clocks and zones):
      // written on 2 December, a first line of `Dec 28` is from last year.
      const year = this.reference.getFullYear();
      this.year = new Date(year, month, day, h, m, s).getTime() > this.reference.getTime() + 86_400_000 ? year - 1 : year;
    } else if (month < this.lastMonth && this.lastMonth - month > 6) {
      this.year += 1; // Dec → Jan
    }
    this.lastMonth = month;
    const key = ((this.year * 12 + month) * 32 + day) * 24 + h;
    let base = this.hourCache.get(key);
    if (base === undefined) {
      if (this.hourCache.size > 1000) this.hourCache.clear();
      base = new Date(this.year, month, day, h).getTime();
      this.hourCache.set(key, base);
    }
    return base + m * 60_000 + s * 1000;
  }
}

/** Epoch ms of the timestamp at the start of `line`, or NaN. */
export function parseTimestamp(line: string, years: YearTracker): number {
  const c = line.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    // RFC 3339: up to the first space.
    const sp = line.indexOf(' ');
    return Date.parse(sp < 0 ? line : line.slice(0, sp));
  }
  if (c === 91) {
    // [2024/10/30-08:49:20 - 1234]
    const y = digits(line, 1, 4);
    const mo = digits(line, 6, 2);
    const d = digits(line, 9, 2);
    return new Date(y, mo - 1, d, digits(line, 12, 2), digits(line, 15, 2), digits(line, 18, 2)).getTime();
  }
  const month = MONTHS[line.slice(0, 3)];
  if (month === undefined) return Number.NaN;
  const day = line.charCodeAt(4) === 32 ? digits(line, 5, 1) : digits(line, 4, 2);
  const h = digits(line, 7, 2);
  const m = digits(line, 10, 2);
  const s = digits(line, 13, 2);
  if (Number.isNaN(day + h + m + s)) return Number.NaN;
  return years.resolve(month, day, h, m, s);
}

const MONTH_KEYS = new Map<number, number>(Object.entries(MONTHS).map(([name, m]) => [(name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2), m]));

function digitsAt(buf: Buffer, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return Number.NaN;
    n = n * 10 + c;
  }
  return n;
}

/** {@link parseTimestamp} straight from the bytes of a line, without decoding it. */
export function timestampAt(buf: Buffer, start: number, years: YearTracker): number {
  const c = buf[start]!;
  if ((c >= 48 && c <= 57) || c === 91) {
    let end = start;
    while (end < start + 48 && end < buf.length && buf[end] !== 32 && buf[end] !== 10) end++;
    if (c === 91) end = Math.min(start + 24, buf.length);
    return parseTimestamp(buf.toString('latin1', start, end), years);
  }
  const month = MONTH_KEYS.get((c << 16) | (buf[start + 1]! << 8) | buf[start + 2]!);
  if (month === undefined) return Number.NaN;
  const day = buf[start + 4] === 32 ? digitsAt(buf, start + 5, 1) : digitsAt(buf, start + 4, 2);
  const h = digitsAt(buf, start + 7, 2);
  const m = digitsAt(buf, start + 10, 2);
  const s = digitsAt(buf, start + 13, 2);
  if (Number.isNaN(day + h + m + s)) return Number.NaN;
  return years.resolve(month, day, h, m, s);
}
