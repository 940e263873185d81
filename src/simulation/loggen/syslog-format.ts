const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type TimestampFormat = 'classic' | 'rfc3339';

function p2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Formats syslog timestamps, caching the part that only changes once a second. */
export class Clock {
  private lastSecond = -1;
  private lastText = '';

  constructor(private readonly format: TimestampFormat) {}

  stamp(t: number): string {
    const second = Math.floor(t / 1000);
    if (second === this.lastSecond && this.format === 'classic') return this.lastText;
    const d = new Date(t);
    let text: string;
    if (this.format === 'classic') {
      const day = d.getDate();
      text = `${MONTHS[d.getMonth()]} ${day < 10 ? ` ${day}` : day} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
    } else {
      const off = -d.getTimezoneOffset();
      const sign = off >= 0 ? '+' : '-';
      const micro = String(Math.floor(t % 1000) * 1000).padStart(6, '0');
      text = `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${micro}${sign}${p2(Math.floor(Math.abs(off) / 60))}:${p2(Math.abs(off) % 60)}`;
    }
    this.lastSecond = second;
    this.lastText = text;
    return text;
  }
}

/** cbpolicyd's own log timestamp `[2024/10/30-08:49:20 - 1234]`. */
export function policydStamp(t: number, pid: number): string {
  const d = new Date(t);
  return `[${d.getFullYear()}/${p2(d.getMonth() + 1)}/${p2(d.getDate())}-${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} - ${pid}]`;
}

/** amavis splits messages longer than this into `…...` / `(id) ...…` lines. */
export const AMAVIS_MAX = 980;

/** amavis message parts as amavisd-new logs them when a line is too long. */
export function amavisParts(id: string, message: string): string[] {
  if (message.length <= AMAVIS_MAX) return [`(${id}) ${message}`];
  const parts: string[] = [];
  let rest = message;
  let first = true;
  while (rest.length > 0) {
    const take = rest.slice(0, AMAVIS_MAX);
    rest = rest.slice(take.length);
    parts.push(`(${id}) ${first ? '' : '...'}${take}${rest.length > 0 ? '...' : ''}`);
    first = false;
  }
  return parts;
}
