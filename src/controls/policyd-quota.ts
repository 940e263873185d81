import { PolicyDbError } from '../cbpolicyd/db.js';
import { periodText, type QuotaDesign } from '../cbpolicyd/design.js';
import { buildDesign, policyDbPath, quotaSettings } from '../core/quota-input.js';
import { readDrift, type Drift } from '../cbpolicyd/quota-rows.js';
import type { Action, Control, Item, PlanContext } from '../core/types.js';
import { mtaSpreadItem } from './mta-spread.js';
import { POLICY_PATH_PARAMS, readPolicyPaths, type PolicyPaths } from '../cbpolicyd/policy-paths.js';
import { quotaModuleItem } from './quota-module.js';

export const POLICYD_QUOTA = 'policyd-quota';
function rowsAction(database: string, design: QuotaDesign, count: number | undefined): Action {
  const what = count === undefined ? 'write the quota rows' : `create or repair ${count} quota row${count === 1 ? '' : 's'}`;
  return { kind: 'policyd-rows', database, description: `${what} in one transaction`, design };
}

export interface PolicydQuotaFacts {
  /** The rendered cbpolicyd.conf (what the daemon runs with). */
  conf?: string;
  /** How Postfix asks cbpolicyd, per path mail takes. */
  paths: PolicyPaths;
  /** The rows against the design (undefined while the database does not exist), or why they cannot be read. */
  drift?: Drift | { error: string };
}

/**
 * Outbound limits in cbpolicyd's database (docs/outbound-limits.md): by default one limit per SMTP AUTH
 * login whatever sender it claims, and one per sender for what the mailbox servers submit
 * (webmail); inbound mail is never counted. `--quota-style recipe` writes the recipe's quota.
 */
export const policydQuotaControl: Control<PolicydQuotaFacts> = {
  id: POLICYD_QUOTA,
  title: 'Outbound limits per account (cbpolicyd quotas)',

  reads() {
    return []; // the engine's `gas -v mta` holds zimbraCBPolicydQuotasEnabled; the rest is postconf and the DB
  },

  postconf() {
    return POLICY_PATH_PARAMS;
  },

  async gather({ host, env, settings, postconf }) {
    const database = policyDbPath(env);
    const [conf, paths, db] = [await host.readFile(env.paths.cbpolicydConf), await readPolicyPaths(host, postconf, env), await host.stat(database)];
    if (!db?.isFile) return { conf, paths };
    try {
      return { conf, paths, drift: readDrift(host.resolve(database), database, buildDesign(env, settings, paths).design) };
    } catch (error) {
      if (!(error instanceof PolicyDbError)) throw error;
      return { conf, paths, drift: { error: error.message } };
    }
  },

  plan(facts, ctx) {
    const spread = mtaSpreadItem(ctx.env, quotaSettings(ctx.settings), POLICYD_QUOTA);
    return [...planRows(facts, ctx), ...(spread ? [spread] : [])];
  },
};

function planRows({ conf, paths, drift }: PolicydQuotaFacts, { env, settings }: PlanContext): Item[] {
  const q = quotaSettings(settings);
  const database = policyDbPath(env);
  const { design, notes, counted } = buildDesign(env, settings, paths);
  const base = { control: POLICYD_QUOTA, subject: database, restart: [] as Item['restart'] };
  const what = q.style === 'recipe' ? `the recipe's quota (${q.limit}, CounterLimit as written)` : `at most ${q.limit} recipients ${periodText(q.period)} per account`;
  const details = [...design.summary, ...notes];
  const items: Item[] = [quotaModuleItem(env, conf)];

  if (drift === undefined) {
    if (settings.restart === 'none') {
      items.push({ ...base, status: 'skip', actions: [], severity: 'warning', message: `${database} does not exist until cbpolicyd first starts (--restart none): restart it, then run apply again`, details });
      return items;
    }
    items.push({
      ...base,
      status: 'change',
      severity: 'warning',
      message: `no outbound limit yet: cbpolicyd has never started, so its database does not exist; the rows (${what}) are written once the restart creates it`,
      actions: [rowsAction(database, design, undefined)],
      restart: ['cbpolicyd'],
      phase: 'after-restart',
      details,
    });
    return items;
  }

  if ('error' in drift) {
    items.push({ ...base, status: 'fail', actions: [], message: drift.error });
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
    actions: [rowsAction(database, design, drift.changes.length)],
    details: [...drift.changes, ...warnings, ...details],
  });
  return items;
}
