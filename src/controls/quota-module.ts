import type { Item, ServerEnv } from '../core/types.js';
import { atLeast } from '../zimbra/version.js';

const ON = /^\s*(y|yes|1|on|true)\s*$/i;

/** `enable=` of the [Quotas] section of the rendered cbpolicyd.conf, undefined when absent. */
export function renderedQuotasEnable(conf: string | undefined): string | undefined {
  let inQuotas = false;
  for (const line of (conf ?? '').split('\n')) {
    const section = /^\s*\[([^\]]+)\]/.exec(line);
    if (section) inQuotas = section[1]!.trim().toLowerCase() === 'quotas';
    const enable = inQuotas ? /^\s*enable\s*=\s*(.*)$/.exec(line) : null;
    if (enable) return enable[1]!.trim();
  }
  return undefined;
}

/**
 * The cbpolicyd Quotas module must be on, or no quota row counts anything: 8.5+ attribute
 * `zimbraCBPolicydQuotasEnabled` (default TRUE), 7.x/8.0 localconfig `cbpolicyd_module_quotas`
 * (default 1) (zimbra-attrs.xml and LC.java in github.com/Zimbra/zm-mailbox). The rendered
 * cbpolicyd.conf says what the daemon runs with.
 */
export function quotaModuleItem(env: ServerEnv, conf: string | undefined): Item {
  const base = { control: 'policyd-quota', subject: `${env.hostname} Quotas module`, actions: [], restart: [] };
  const rendered = renderedQuotasEnable(conf);
  const renderedOff = rendered !== undefined && !ON.test(rendered);
  if (atLeast(env.version, 8, 5)) {
    const local = env.mtaServers.find((s) => s.name.toLowerCase() === env.hostname.toLowerCase());
    const value = local?.attrs.zimbraCBPolicydQuotasEnabled?.[0] ?? 'TRUE';
    if (value.toUpperCase() !== 'TRUE') {
      return {
        ...base,
        status: 'change',
        severity: 'warning',
        message: `zimbraCBPolicydQuotasEnabled is ${value}: cbpolicyd ignores every quota; turn it on for this server`,
        actions: [{ kind: 'zmprov', argv: ['ms', env.hostname, 'zimbraCBPolicydQuotasEnabled', 'TRUE'] }],
        restart: ['cbpolicyd'],
      };
    }
    if (renderedOff) {
      return { ...base, status: 'change', severity: 'warning', message: `zimbraCBPolicydQuotasEnabled is TRUE but ${env.paths.cbpolicydConf} still says enable=${rendered} under [Quotas]: restart cbpolicyd`, restart: ['cbpolicyd'] };
    }
    return { ...base, status: 'ok', message: 'the Quotas module is on (zimbraCBPolicydQuotasEnabled TRUE)' };
  }
  const value = env.localconfig.cbpolicyd_module_quotas ?? '1';
  if (!ON.test(value)) {
    return {
      ...base,
      status: 'change',
      severity: 'warning',
      message: `localconfig cbpolicyd_module_quotas is ${value}: cbpolicyd ignores every quota; set it to 1`,
      actions: [{ kind: 'run', command: env.paths.zmlocalconfig, args: ['-e', 'cbpolicyd_module_quotas=1'], user: 'zimbra' }],
      restart: ['cbpolicyd'],
    };
  }
  if (renderedOff) {
    return { ...base, status: 'change', severity: 'warning', message: `cbpolicyd_module_quotas is ${value} but ${env.paths.cbpolicydConf} still says enable=${rendered} under [Quotas]: restart cbpolicyd`, restart: ['cbpolicyd'] };
  }
  return { ...base, status: 'ok', message: `the Quotas module is on (localconfig cbpolicyd_module_quotas ${value})` };
}
