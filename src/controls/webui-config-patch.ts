/** The one DSN line the cbpolicyd web UI needs to use Zimbra's SQLite policy database. */
export const SQLITE_DSN_LINE = '$DB_DSN="sqlite:/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb";';

const ACTIVE_DSN = /^\s*\$DB_DSN\s*=/;
const ANY_DSN = /^\s*(?:#|\/\/)?\s*\$DB_DSN\s*=/;

export type PatchResult = { ok: true; content: string; changed: boolean } | { ok: false; reason: string };

/**
 * Comments out every active `$DB_DSN` line but one exact SQLite line, and adds that line after the
 * first DSN line when it is missing. Every other byte stays as it was; a second run changes nothing.
 */
export function patchWebuiConfig(content: string): PatchResult {
  if (!/<\?php/.test(content)) return { ok: false, reason: 'it is not a PHP file (no <?php)' };
  const eol = content.includes('\r\n') ? '\r\n' : '\n';
  const lines = content.split(eol);
  const dsnLines = lines.flatMap((line, i) => (ANY_DSN.test(line) ? [i] : []));
  if (dsnLines.length === 0) return { ok: false, reason: 'it has no $DB_DSN line: not the cbpolicyd web UI configuration' };

  let kept = false;
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (ACTIVE_DSN.test(line)) {
      if (!kept && line.trim() === SQLITE_DSN_LINE) {
        kept = true;
        out.push(line);
      } else {
        out.push(`#${line}`);
      }
    } else {
      out.push(line);
    }
    if (i === dsnLines[dsnLines.length - 1] && !kept) {
      out.push(SQLITE_DSN_LINE);
      kept = true;
    }
  });
  const patched = out.join(eol);
  return { ok: true, content: patched, changed: patched !== content };
}
