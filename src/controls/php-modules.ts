import type { Item, ServerEnv } from '../core/types.js';
import type { Host } from '../host/host.js';

/** Module names of `php -m` (sections like `[PHP Modules]` left out). */
export function phpModules(output: string): string[] {
  return output
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '' && !l.startsWith('['));
}

/**
 * The patched config.php points the web UI at the SQLite DB through PDO, so Zimbra's PHP (the one
 * Apache runs) needs pdo_sqlite. Whether Zimbra's PHP builds have it is documented nowhere: ask that
 * PHP itself.
 */
export async function pdoSqliteItem(host: Host, env: ServerEnv): Promise<Item> {
  const php = env.paths.php;
  const base = { control: 'webui-exposure', subject: `${php} pdo_sqlite`, actions: [], restart: [] };
  if (!(await host.stat(php))?.isFile) {
    return { ...base, status: 'skip', severity: 'warning', message: `Zimbra's PHP (${php}) is missing: Apache cannot run the web UI` };
  }
  const result = await host.exec(php, ['-m'], { user: 'zimbra' });
  if (result.exitCode !== 0) {
    return { ...base, status: 'skip', severity: 'warning', message: `${php} -m exited ${result.exitCode}: cannot tell whether the web UI can open the policy database`, details: [(result.stderr || result.stdout).trim()] };
  }
  if (phpModules(result.stdout).includes('pdo_sqlite')) {
    return { ...base, status: 'ok', message: "Zimbra's PHP has pdo_sqlite: the web UI can open the SQLite policy database" };
  }
  return {
    ...base,
    status: 'skip',
    severity: 'warning',
    message: `Zimbra's PHP lacks pdo_sqlite (${php} -m): the web UI cannot open the SQLite policy database, whatever config.php says`,
    details: [
      'Zimbra ships no separate PHP module package: manage the quotas with zimbra-harden (apply --quota N) or sqlite3 on the DB instead',
      'or leave the web UI alone: zimbra-harden --skip webui-db',
    ],
  };
}
