import { fileDiff } from '../core/diff.js';
import type { Control, Item, ServerEnv } from '../core/types.js';
import type { ReadHost } from '../host/host.js';
import { patchWebuiConfig } from './webui-config-patch.js';

export const WEBUI_DB = 'webui-db';

/** Where this server's web UI config.php is, if the release ships one or an admin installed it. */
export async function findWebuiConfig(env: ServerEnv, host: ReadHost) {
  const shipped = env.paths.webuiDir;
  const dir = shipped ?? env.paths.webuiManualDir;
  const path = `${dir}/includes/config.php`;
  const exists = (await host.stat(path))?.isFile ?? false;
  return { path, shipped: shipped !== undefined, exists };
}

export interface WebuiDbFacts {
  where: Awaited<ReturnType<typeof findWebuiConfig>>;
  /** Zimbra's PHP, which runs the web UI, is installed. */
  hasPhp: boolean;
  /** config.php as it is, when it exists and PHP is there. */
  content?: string;
}

/**
 * Recipe step 3 (web UI): point the cbpolicyd web UI at Zimbra's SQLite policy DB. Checked with
 * `php -l` before it replaces the file; backed up first; owner and mode kept.
 */
export const webuiDbControl: Control<WebuiDbFacts> = {
  id: WEBUI_DB,
  title: 'cbpolicyd web UI uses the SQLite policy database',

  reads() {
    return [];
  },

  async gather({ env, host }) {
    const where = await findWebuiConfig(env, host);
    if (!where.exists) return { where, hasPhp: false };
    const hasPhp = (await host.stat(env.paths.php))?.isFile ?? false;
    return { where, hasPhp, content: hasPhp ? ((await host.readFile(where.path)) ?? '') : undefined };
  },

  plan({ where, hasPhp, content }, { env }) {
    const base = { control: WEBUI_DB, subject: where.path, actions: [], restart: [] };
    if (!where.exists) {
      if (!where.shipped) {
        return [{ ...base, status: 'skip', message: `ZCS ${env.version.major}.${env.version.minor} ships no cbpolicyd web UI: nothing to configure` }];
      }
      return [{
        ...base,
        status: 'fail',
        message: `${where.path} is missing: ZCS ${env.version.major}.${env.version.minor} ships it with cbpolicyd; reinstall zimbra-cbpolicyd's web UI or skip this step with --skip ${WEBUI_DB}`,
      }];
    }
    if (!hasPhp) {
      // An MTA-only node has cbpolicyd's files but no zimbra-apache, whose PHP runs the web UI (and checks the file).
      return [{ ...base, status: 'skip', message: `no Zimbra PHP on this server (${env.paths.php}; it comes with zimbra-apache): nothing runs the web UI here` }];
    }
    const before = content ?? '';
    const patch = patchWebuiConfig(before);
    if (!patch.ok) {
      return [{ ...base, status: 'fail', message: `${where.path} has unexpected content: ${patch.reason}; fix it by hand or skip this step with --skip ${WEBUI_DB}` }];
    }
    if (!patch.changed) {
      return [{ ...base, status: 'ok', message: 'the web UI reads the SQLite policy database' }];
    }
    const item: Item = {
      ...base,
      status: 'change',
      severity: 'suggestion',
      message: 'the web UI points at a MySQL database that does not exist on Zimbra: switch it to the SQLite policy DB',
      actions: [{ kind: 'write-file', path: where.path, content: patch.content, diff: fileDiff(where.path, before, patch.content), validate: 'php-lint', backup: true }],
    };
    return [item];
  },
};
