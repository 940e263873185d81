import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, min: 60_000, h: 3600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: `90m`, `2h`, `1d`, `1w`, or a date/time (`2024-10-30T08:00`, `2024-10-30 08:00`). */
export function parseSince(text: string, now = new Date()): Date {
  const m = /^(\d+)\s*(m|min|h|d|w)$/.exec(text.trim());
  if (m) return new Date(now.getTime() - Number(m[1]) * UNITS[m[2]!]!);
  const t = Date.parse(text.trim().replace(' ', 'T'));
  if (Number.isNaN(t)) throw new UsageError(`--since ${JSON.stringify(text)}: give a duration (30m, 2h, 1d) or a date (2024-10-30T08:00)`);
  return new Date(t);
}
