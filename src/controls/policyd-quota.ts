import { PolicyDbError } from '../cbpolicyd/db.js';
import { periodText, type QuotaDesign } from '../cbpolicyd/design.js';
import { buildDesign, policyDbPath, quotaSettings } from '../cbpolicyd/quota-input.js';
import { readDrift, writeRows } from '../cbpolicyd/quota-rows.js';
import { registerSqlExecutor } from '../core/executors.js';
import type { Action, CheckContext, Control, Item } from '../core/types.js';
import { mtaSpreadItem } from './mta-spread.js';
import { readPolicyPaths } from '../cbpolicyd/policy-paths.js';
import { quotaModuleItem } from './quota-module.js';

export const POLICYD_QUOTA = 'policyd-quota';
const EXECUTOR = 'cbpolicyd-quota-rows';

interface Payload {
  design: QuotaDesign;
}

registerSqlExecutor(EXECUTOR, async (host, _env, action) => {
  const { design } = action.payload as Payload;
  const changes = writeRows(host.resolve(action.database), action.database, design);
  return changes.length > 0 ? changes : ['the rows already held'];
});

function sqlAction(database: string, design: QuotaDesign, count: number | undefined): Action {
  const what = count === undefined ? 'write the quota rows' : `create or repair ${count} quota row${count === 1 ? '' : 's'}`;
  return { kind: 'sql', database, description: `${what} in one transaction`, payload: { design } satisfies Payload, executor: EXECUTOR };
}

/**
 * Outbound limits in cbpolicyd's database (docs/outbound-limits.md): by default one limit per SMTP AUTH
 * login whatever sender it claims, and one per sender for what the mailbox servers submit
 * (webmail); inbound mail is never counted. `--quota-style recipe` writes the recipe's quota.
 */
export const policydQuotaControl: Control = {
  id: POLICYD_QUOTA,
  title: 'Outbound limits per account (cbpolicyd quotas)',

  reads() {
    return []; // the engine's `gas -v mta` holds zimbraCBPolicydQuotasEnabled; the rest is postconf and the DB
  },

  async check(ctx) {
    const spread = mtaSpreadItem(ctx.env, quotaSettings(ctx.settings.quota), POLICYD_QUOTA);
    return [...(await checkRows(ctx)), ...(spread ? [spread] : [])];
  },
};

async function checkRows({ host, env, settings }: CheckContext): Promise<Item[]> {
  const q = quotaSettings(settings.quota);
  const database = policyDbPath(env);
  const paths = await readPolicyPaths(host, env);
  const { design, notes, counted } = buildDesign(env, q, paths);
  const base = { control: POLICYD_QUOTA, subject: database, restart: [] as Item['restart'] };
  const what = q.style === 'recipe' ? `the recipe's quota (${q.limit}, CounterLimit as written)` : `at most ${q.limit} recipients ${periodText(q.period)} per account`;
  const details = [...design.summary, ...notes];
  const items: Item[] = [quotaModuleItem(env, await host.readFile(env.paths.cbpolicydConf))];

  if (!(await host.stat(database))?.isFile) {
    if (settings.restart === 'none') {
      items.push({ ...base, status: 'skip', actions: [], severity: 'warning', message: `${database} does not exist until cbpolicyd first starts (--restart none): restart it, then run apply again`, details });
      return items;
    }
    items.push({
      ...base,
      status: 'change',
      severity: 'warning',
      message: `no outbound limit yet: cbpolicyd has never started, so its database does not exist; the rows (${what}) are written once the restart creates it`,
      actions: [sqlAction(database, design, undefined)],
      restart: ['cbpolicyd'],
      phase: 'after-restart',
      details,
    });
    return items;
  }

  let drift;
  try {
    drift = readDrift(host.resolve(database), database, design);
  } catch (error) {
    if (!(error instanceof PolicyDbError)) throw error;
    items.push({ ...base, status: 'fail', actions: [], message: error.message });
    return items;
  }
  const warnings = drift.shadows.map((s) => `warning: ${s}`);
  if (drift.changes.length === 0) {
    const message = counted ? `outbound limits hold: ${what}` : `the rows hold (${what}), but this Postfix never asks cbpolicyd about authenticated or webmail mail: they count nothing outbound`;
    const severity = warnings.length > 0 || !counted ? { severity: 'warning' as const } : {};
    items.push({ ...base, status: 'ok', actions: [], message, details: [...warnings, ...details], ...severity });
    return items;
  }
  items.push({
    ...base,
    status: 'change',
    severity: 'warning',
    message: `outbound limits (${what}): ${drift.changes.length} row${drift.changes.length === 1 ? '' : 's'} to create or repair; cbpolicyd reads them on the next message, no restart`,
    actions: [sqlAction(database, design, drift.changes.length)],
    details: [...drift.changes, ...warnings, ...details],
  });
  return items;
}
