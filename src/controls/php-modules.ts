import type { Item, ServerEnv } from '../core/types.js';
import type { ReadHost } from '../host/host.js';

/** Module names of `php -m` (sections like `[PHP Modules]` left out). */
export function phpModules(output: string): string[] {
  return output
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '' && !l.startsWith('['));
}

export interface PhpModulesFacts {
  /** Zimbra's PHP is installed. */
  exists: boolean;
  /** `php -m` of it. */
  modules?: { exitCode: number; stdout: string; stderr: string };
}

export async function gatherPhpModules(host: ReadHost, env: ServerEnv): Promise<PhpModulesFacts> {
  if (!(await host.stat(env.paths.php))?.isFile) return { exists: false };
  const { exitCode, stdout, stderr } = await host.exec(env.paths.php, ['-m'], { user: 'zimbra' });
  return { exists: true, modules: { exitCode, stdout, stderr } };
}

/**
 * The patched config.php points the web UI at the SQLite DB through PDO, so Zimbra's PHP (the one
 * Apache runs) needs pdo_sqlite. Whether Zimbra's PHP builds have it is documented nowhere: ask that
 * PHP itself.
 */
export function pdoSqliteItem(facts: PhpModulesFacts, env: ServerEnv): Item {
  const php = env.paths.php;
  const base = { control: 'webui-exposure', subject: `${php} pdo_sqlite`, actions: [], restart: [] };
  if (!facts.exists || !facts.modules) {
    return { ...base, status: 'skip', severity: 'warning', message: `Zimbra's PHP (${php}) is missing: Apache cannot run the web UI` };
  }
  const result = facts.modules;
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
