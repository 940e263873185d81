import type { Control, Item } from '../core/types.js';
import { atLeast } from '../zimbra/version.js';
import { hasValue, parseAttrs, type Attrs } from '../zimbra/zmprov-batch.js';
import { POLICY_PARAMS, policyPort, readWiring, type Wiring } from '../zimbra/postfix-wiring.js';

export const POSTFIX_POLICY = 'postfix-policy';

export function mtaRestrictionValue(port: number): string {
  return `check_policy_service inet:127.0.0.1:${port}`;
}

export interface PostfixPolicyFacts {
  /** `zmprov gcf zimbraMtaRestriction`. */
  restrictions: Attrs;
  /** What `postconf` says Postfix runs with. */
  wiring: Wiring;
}

/**
 * Postfix must really ask cbpolicyd. On 7.x that takes the recipe's `zimbraMtaRestriction`; on
 * 8.0+ zmconfigd wires it from `zimbraServiceEnabled` and that attribute never reaches Postfix,
 * so the control only verifies `postconf` (unless the recipe's literal command is forced).
 */
export const postfixPolicyControl: Control<PostfixPolicyFacts> = {
  id: POSTFIX_POLICY,
  title: 'Postfix consults cbpolicyd',

  reads() {
    return [['gcf', 'zimbraMtaRestriction']];
  },

  postconf() {
    return POLICY_PARAMS;
  },

  async gather({ env, reads, postconf }) {
    return { restrictions: parseAttrs(reads[0]?.stdout ?? ''), wiring: await readWiring(postconf, env) };
  },

  plan({ restrictions, wiring }, { env, settings }) {
    const port = policyPort(env);
    const value = mtaRestrictionValue(port);
    const inLdap = hasValue(restrictions, 'zimbraMtaRestriction', value);
    const legacy = !atLeast(env.version, 8, 0);
    const base = { control: POSTFIX_POLICY, subject: env.hostname, actions: [], restart: [] };
    const item: Item = { ...base, status: 'ok', message: '' };

    if ((legacy || settings.forceMtaRestriction) && !inLdap) {
      item.actions = [{ kind: 'zmprov', argv: ['mcf', '+zimbraMtaRestriction', value] }];
      if (legacy) item.restart = ['mta'];
    }
    const notes: string[] = [];
    if (!legacy && inLdap) notes.push(`zimbraMtaRestriction holds "${value}": zmconfigd ignores it on ${env.version.major}.x (harmless)`);

    if (wiring.missing.length === 0) {
      item.message = `${wiring.required.join(', ')} call check_policy_service on port ${port}`;
    } else {
      item.severity = 'warning';
      item.message = legacy
        ? `Postfix does not ask cbpolicyd in ${wiring.missing.join(', ')}: the recipe's zimbraMtaRestriction and an MTA restart wire it`
        : `Postfix does not ask cbpolicyd in ${wiring.missing.join(', ')}: zmconfigd wires it once cbpolicyd is enabled and the MTA restarts`;
      item.restart = ['mta', 'cbpolicyd'];
      notes.push(...wiring.evidence);
    }
    if (item.actions.length > 0 || wiring.missing.length > 0) item.status = 'change';
    if (item.actions.length > 0 && !legacy) notes.unshift('writing the recipe\'s literal zimbraMtaRestriction as asked (--force-mta-restriction)');
    if (notes.length) item.details = notes;
    return [item];
  },

  /** In use (not skipped): Postfix asks cbpolicyd in every restriction list that needs it. */
  async verify({ env, items, postconf }) {
    if (items.every((i) => i.status === 'skip')) return [];
    const wiring = await readWiring(postconf, env);
    const good = wiring.missing.length === 0;
    const message = good ? `Postfix asks cbpolicyd (port ${wiring.port}) in ${wiring.required.join(', ')}` : `Postfix does NOT ask cbpolicyd in ${wiring.missing.join(', ')}`;
    return [{ ok: good, message, evidence: wiring.evidence }];
  },
};
