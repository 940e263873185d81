import { describe, expect, it } from 'vitest';
import { patchWebuiConfig, SQLITE_DSN_LINE } from '../../src/controls/webui-config-patch.js';

const STOCK = [
  '<?php',
  '# Database configuration',
  '#$DB_DSN="sqlite:////tmp/cluebringer.sqlite";',
  '$DB_DSN="mysql:host=localhost;dbname=cluebringer";',
  '$DB_USER="root";',
  '#$DB_PASS="";',
  '$DB_TABLE_PREFIX="";',
  '?>',
  '',
].join('\n');

describe('patchWebuiConfig', () => {
  it('comments the active MySQL DSN and adds the SQLite one, leaving every other line as it was', () => {
    const result = patchWebuiConfig(STOCK);
    if (!result.ok) throw new Error(result.reason);
    const lines = result.content.split('\n');
    expect(lines).toContain('#$DB_DSN="mysql:host=localhost;dbname=cluebringer";');
    expect(lines.filter((l) => l === SQLITE_DSN_LINE)).toHaveLength(1);
    const untouched = STOCK.split('\n').filter((l) => !l.startsWith('$DB_DSN'));
    for (const line of untouched) expect(lines).toContain(line);
    expect(lines.filter((l) => /^\s*\$DB_DSN/.test(l))).toEqual([SQLITE_DSN_LINE]);
  });

  it('changes nothing on a second run', () => {
    const once = patchWebuiConfig(STOCK);
    if (!once.ok) throw new Error('first run failed');
    const twice = patchWebuiConfig(once.content);
    expect(twice).toEqual({ ok: true, content: once.content, changed: false });
  });

  it('keeps one SQLite line when an earlier hand edit left two, and comments other active DSNs', () => {
    const edited = STOCK.replace('$DB_USER', `${SQLITE_DSN_LINE}\n$DB_DSN="pgsql:host=db";\n${SQLITE_DSN_LINE}\n$DB_USER`);
    const result = patchWebuiConfig(edited);
    if (!result.ok) throw new Error(result.reason);
    const active = result.content.split('\n').filter((l) => /^\s*\$DB_DSN/.test(l));
    expect(active).toEqual([SQLITE_DSN_LINE]);
    expect(result.content).toContain('#$DB_DSN="pgsql:host=db";');
  });

  it('keeps CRLF line endings', () => {
    const result = patchWebuiConfig(STOCK.replace(/\n/g, '\r\n'));
    if (!result.ok) throw new Error(result.reason);
    expect(result.content.split('\r\n')).toContain(SQLITE_DSN_LINE);
    expect(result.content.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('refuses files that are not the web UI configuration', () => {
    expect(patchWebuiConfig('hello')).toMatchObject({ ok: false, reason: expect.stringContaining('not a PHP file') });
    expect(patchWebuiConfig('<?php\n$x = 1;\n')).toMatchObject({ ok: false, reason: expect.stringContaining('no $DB_DSN') });
  });
});
