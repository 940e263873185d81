/**
 * Log lines are hostile input: they may carry terminal escape sequences, rsyslog `#ooo`
 * escapes, NUL runs and bytes that are not UTF-8. Nothing of that reaches the admin.
 */

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g;
// Control characters, DEL, C1 controls, and Unicode line/paragraph separators and bidi overrides.
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const RSYSLOG_ESCAPE = /#([0-3][0-7]{2})/g;

/** Printable, single-line text of at most `max` characters. */
export function cleanLine(text: string, max = 400): string {
  let s = text.replace(RSYSLOG_ESCAPE, (_m, oct: string) => (Number.parseInt(oct, 8) < 32 ? ' ' : `#${oct}`));
  s = s.replace(ANSI, '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s;
}

/** Evidence from a latin1-decoded log line: re-read the bytes as UTF-8 (bad bytes become U+FFFD), then clean. */
export function evidenceLine(latin1: string, max = 400): string {
  return cleanLine(Buffer.from(latin1, 'latin1').toString('utf8'), max);
}

/** Safe for a mail header or a one-line message: letters, digits and a few punctuation marks. */
export function headerSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9 .,:;@()+=_/-]/g, '').slice(0, 120);
}
