import type { Control, Item, ServerEnv } from '../core/types.js';
import { hasValue, type Entry } from '../zimbra/zmprov-batch.js';

export const CBPOLICYD_SERVICE = 'cbpolicyd-service';
const ATTRS = ['zimbraServiceInstalled', 'zimbraServiceEnabled'] as const;

export interface CbpolicydServiceFacts {
  /** `zmcbpolicydctl status` on this server, asked only when cbpolicyd is installed and enabled here. */
  localStatus?: { exitCode: number; output: string };
}

function missingAttrs(server: Entry): (typeof ATTRS)[number][] {
  return ATTRS.filter((attr) => !hasValue(server.attrs, attr, 'cbpolicyd'));
}

function isLocal(server: Entry, env: ServerEnv): boolean {
  return server.name.toLowerCase() === env.hostname.toLowerCase();
}

/**
 * Recipe step 3: cbpolicyd installed and enabled on every MTA, always with `+` so the other
 * services in these multi-valued attributes stay (on 7.x a bare value would replace them all).
 */
export const cbpolicydServiceControl: Control<CbpolicydServiceFacts> = {
  id: CBPOLICYD_SERVICE,
  title: 'cbpolicyd policy daemon enabled on every MTA',

  reads() {
    return []; // the engine's `gas -v mta` already holds every MTA's services
  },

  async gather({ env, host }) {
    const local = env.mtaServers.find((server) => isLocal(server, env));
    if (!local || missingAttrs(local).length > 0) return {};
    const status = await host.exec(env.paths.zmcbpolicydctl, ['status'], { user: 'zimbra' });
    return { localStatus: { exitCode: status.exitCode, output: (status.stdout + status.stderr).trim() } };
  },

  plan({ localStatus }, { env }) {
    const items: Item[] = [];
    for (const server of env.mtaServers) {
      const missing = missingAttrs(server);
      const local = isLocal(server, env);
      const base = { control: CBPOLICYD_SERVICE, subject: server.name, actions: [], restart: [] };
      if (missing.length > 0) {
        items.push({
          ...base,
          status: 'change',
          severity: 'warning',
          message: `cbpolicyd is not ${missing.map((a) => (a.endsWith('Enabled') ? 'enabled' : 'installed')).join(' nor ')}: nothing limits what one account sends`,
          actions: [{ kind: 'zmprov', argv: ['ms', server.name, ...missing.flatMap((attr) => [`+${attr}`, 'cbpolicyd'])] }],
          restart: local ? ['mta', 'cbpolicyd'] : [],
          details: local ? undefined : [`${server.name} is another server: there, run zmmtactl restart && zmcbpolicydctl restart as zimbra`],
        });
        continue;
      }
      if (!local) {
        items.push({ ...base, status: 'ok', message: 'cbpolicyd is installed and enabled (running state is checked on that server)' });
        continue;
      }
      if (localStatus?.exitCode === 0) {
        items.push({ ...base, status: 'ok', message: 'cbpolicyd is installed, enabled and running' });
      } else {
        items.push({
          ...base,
          status: 'change',
          severity: 'warning',
          message: 'cbpolicyd is enabled but not running: Postfix defers mail while its policy service is down',
          restart: ['cbpolicyd'],
          details: [`zmcbpolicydctl status: ${localStatus?.output || `exit ${localStatus?.exitCode}`}`],
        });
      }
    }
    return items;
  },
};
