import type { Action, Item, ServerEnv, Service } from './types.js';
import type { Settings } from './settings.js';

export const RESTART = 'restart';

/** The services to restart, in the order zimbra-facts A.3 gives: MTA first, then cbpolicyd, then Apache. */
export function neededServices(items: Item[]): Service[] {
  const wanted = new Set(items.filter((i) => i.status === 'change').flatMap((i) => i.restart));
  return (['mta', 'cbpolicyd', 'apache'] as const).filter((s) => wanted.has(s));
}

function serviceCommand(env: ServerEnv, service: Service): Action {
  const command = { mta: env.paths.zmmtactl, cbpolicyd: env.paths.zmcbpolicydctl, apache: env.paths.zmapachectl }[service];
  return { kind: 'run', command, args: ['restart'], user: 'zimbra' };
}

export function describeRun(action: Extract<Action, { kind: 'run' }>): string {
  const cmd = [action.command.split('/').pop(), ...action.args].join(' ');
  const lines = action.input ? action.input.split('\n').filter((l) => l !== '').length : 0;
  const stdin = lines > 0 ? ` < ${lines} line${lines === 1 ? '' : 's'} on standard input` : '';
  return action.user ? `${cmd} (as ${action.user})${stdin}` : `${cmd}${stdin}`;
}

/** The restart step: only what applied changes need, by the chosen strategy. */
export function planRestart(items: Item[], env: ServerEnv, settings: Settings): Item {
  const services = neededServices(items);
  const base = { control: RESTART, subject: env.hostname, actions: [] as Action[], restart: [] as Service[] };
  if (services.length === 0) return { ...base, status: 'ok', message: 'nothing needs a restart' };
  const strategy = settings.restart ?? 'services';
  const perService = services.map((s) => serviceCommand(env, s));
  if (strategy === 'none') {
    return {
      ...base,
      status: 'skip',
      message: `not restarting (--restart none); until you do, the changes to ${services.join(', ')} are not live`,
      details: [`run as zimbra: ${perService.map((a) => describeRun(a as Extract<Action, { kind: 'run' }>).replace(/ \(as zimbra\)$/, '')).join(' && ')}`],
    };
  }
  const actions: Action[] =
    strategy === 'full' ? [{ kind: 'run', command: env.paths.zmcontrol, args: ['restart'], user: 'zimbra' }] : perService;
  return {
    ...base,
    status: 'change',
    message: strategy === 'full' ? `restart all of Zimbra (--restart full) for ${services.join(', ')}` : `restart ${services.join(' and ')}`,
    actions,
    restart: services,
  };
}
