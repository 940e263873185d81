import type { Stale } from './loaded.js';
import type { Action, Item, ServerEnv, Service } from './types.js';
import type { Settings } from './settings.js';

export const RESTART = 'restart';

/** Restarts owed by earlier runs (written down before their changes) and changes the services have not loaded. */
export interface RestartDebts {
  pending: Service[];
  pendingSince?: string;
  stale: Stale[];
}

const NO_DEBTS: RestartDebts = { pending: [], stale: [] };

/**
 * The services to restart: MTA first (zmmtactl has zmconfigd rewrite Postfix's restrictions), then
 * cbpolicyd (zmcbpolicydctl rewrites `smtpd_end_of_data_restrictions`, which the MTA's sections leave
 * alone), then Apache.
 */
export function neededServices(items: Item[], debts: RestartDebts = NO_DEBTS): Service[] {
  const wanted = new Set([...items.filter((i) => i.status === 'change').flatMap((i) => i.restart), ...debts.pending, ...debts.stale.map((s) => s.service)]);
  return (['mta', 'cbpolicyd', 'apache'] as const).filter((s) => wanted.has(s));
}

function debtLines(debts: RestartDebts): string[] {
  const lines = debts.stale.map((s) => s.why);
  if (debts.pending.length > 0) {
    lines.push(`an earlier apply${debts.pendingSince ? ` (${debts.pendingSince})` : ''} changed ${debts.pending.join(', ')} but did not finish restarting ${debts.pending.length > 1 ? 'them' : 'it'}: the change is not live yet`);
  }
  return lines;
}

/** A service's restart may take minutes (zmmtactl rewrites its configuration first); all of Zimbra longer. */
export const RESTART_TIMEOUT_MS = 10 * 60_000;
export const FULL_RESTART_TIMEOUT_MS = 30 * 60_000;

/** `CTL restart` as zimbra: left to finish on Ctrl-C, since a half-done restart leaves the service down. */
export function restartAction(command: string, restarts: Service[] = [], timeoutMs = RESTART_TIMEOUT_MS): Extract<Action, { kind: 'run' }> {
  return { kind: 'run', command, args: ['restart'], user: 'zimbra', timeoutMs, finishOnInterrupt: true, ...(restarts.length > 0 ? { restarts } : {}) };
}

export function serviceControl(env: ServerEnv, service: Service): string {
  return { mta: env.paths.zmmtactl, cbpolicyd: env.paths.zmcbpolicydctl, apache: env.paths.zmapachectl }[service];
}

function serviceCommand(env: ServerEnv, service: Service): Action {
  return restartAction(serviceControl(env, service), [service]);
}

export function describeRun(action: Extract<Action, { kind: 'run' }>): string {
  const cmd = [action.command.split('/').pop(), ...action.args].join(' ');
  const lines = action.input ? action.input.split('\n').filter((l) => l !== '').length : 0;
  const stdin = lines > 0 ? ` < ${lines} line${lines === 1 ? '' : 's'} on standard input` : '';
  return action.user ? `${cmd} (as ${action.user})${stdin}` : `${cmd}${stdin}`;
}

/** The restart step: only what applied changes need, by the chosen strategy. */
export function planRestart(items: Item[], env: ServerEnv, settings: Settings, debts: RestartDebts = NO_DEBTS): Item {
  const services = neededServices(items, debts);
  const owed = debtLines(debts);
  const base = { control: RESTART, subject: env.hostname, actions: [] as Action[], restart: [] as Service[], ...(owed.length > 0 ? { details: owed } : {}) };
  if (services.length === 0) return { ...base, status: 'ok', message: 'nothing needs a restart' };
  const strategy = settings.restart ?? 'services';
  const perService = services.map((s) => serviceCommand(env, s));
  if (strategy === 'none') {
    return {
      ...base,
      status: 'skip',
      message: `not restarting (--restart none); until you do, the changes to ${services.join(', ')} are not live`,
      details: [...owed, `run as zimbra: ${perService.map((a) => describeRun(a as Extract<Action, { kind: 'run' }>).replace(/ \(as zimbra\)$/, '')).join(' && ')}`],
    };
  }
  const actions: Action[] =
    strategy === 'full' ? [restartAction(env.paths.zmcontrol, services, FULL_RESTART_TIMEOUT_MS)] : perService;
  return {
    ...base,
    status: 'change',
    message: strategy === 'full' ? `restart all of Zimbra (--restart full) for ${services.join(', ')}` : `restart ${services.join(' and ')}`,
    actions,
    restart: services,
  };
}
