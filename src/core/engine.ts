import { UserError } from '../errors.js';
import type { ReadHost } from '../host/host.js';
import { postconfReader } from '../zimbra/postconf.js';
import { parseEntries, runZmprovBatch } from '../zimbra/zmprov-batch.js';
import { detectServer } from './detect.js';
import { staleServices } from './loaded.js';
import { readPending } from './pending-restarts.js';
import { planRestart } from './restart.js';
import type { Settings } from './settings.js';
import type { Control, GatherContext, Item, ServerEnv } from './types.js';

export interface Observation {
  env: ServerEnv;
  /** One item per control and subject, then the restart step. */
  items: Item[];
}

/**
 * Looks at the server and returns what each control would do: one `zmcontrol -v` (none when the
 * caller already detected the server), one batched zmprov process for every read, one postconf
 * for every Postfix parameter (and `postconf -P` if needed), and the controls' file reads. Changes nothing.
 */
export async function observe(host: ReadHost, settings: Settings, controls: readonly Control[], configPath?: string, detected?: ServerEnv): Promise<Observation> {
  const env = detected ? { ...detected, mtaServers: [] } : await detectServer(host);
  const skip = new Set(settings.skip ?? []);
  const active = controls.filter((c) => !skip.has(c.id));
  const reads = active.map((c) => c.reads(env, settings));
  const batch = await runZmprovBatch(host, env.paths.zmprov, [['gas', '-v', 'mta'], ...reads.flat()]);
  env.mtaServers = parseEntries(batch.results[0]?.stdout ?? '');
  if (env.mtaServers.length === 0) {
    const said = batch.stderr.trim().split('\n')[0] ?? '';
    throw new UserError(`zmprov found no MTA server (zmprov -l gas mta)${said ? `: ${said}` : ''}; is LDAP running? (zmcontrol status)`);
  }

  const postconf = postconfReader(host, env, active.flatMap((c) => c.postconf?.(env, settings) ?? []));
  const items: Item[] = [];
  let offset = 1;
  for (const control of controls) {
    if (skip.has(control.id)) {
      items.push({ control: control.id, subject: env.hostname, status: 'skip', message: 'skipped by configuration (skip)', actions: [], restart: [] });
      continue;
    }
    const count = reads[active.indexOf(control)]!.length;
    const mine = batch.results.slice(offset, offset + count);
    offset += count;
    items.push(...(await checkControl(control, { host, env, settings, reads: mine, postconf, configPath })));
  }
  const [pending, stale] = await Promise.all([readPending(host), staleServices(host, env)]);
  items.push(planRestart(items, env, settings, { pending: pending.services, pendingSince: pending.since, stale }));
  return { env, items };
}

/** One control's items: its facts gathered, then planned (postconf: its own reader unless the engine's is given). */
export async function checkControl<F>(control: Control<F>, ctx: Omit<GatherContext, 'postconf'> & Partial<Pick<GatherContext, 'postconf'>>): Promise<Item[]> {
  const postconf = ctx.postconf ?? postconfReader(ctx.host, ctx.env, control.postconf?.(ctx.env, ctx.settings) ?? []);
  const facts = await control.gather({ ...ctx, postconf });
  return control.plan(facts, { env: ctx.env, settings: ctx.settings, configPath: ctx.configPath });
}

export interface Recap {
  ok: number;
  changed: number;
  skipped: number;
  failed: number;
  /** Items that need a setting first (plan and audit). */
  needs: number;
}

export function recap(items: readonly Item[]): Recap {
  const count = (s: Item['status']) => items.filter((i) => i.status === s).length;
  return { ok: count('ok'), changed: count('change'), skipped: count('skip'), failed: count('fail'), needs: count('needs') };
}
