import { periodText } from '../cbpolicyd/design.js';
import type { QuotaSettings } from '../core/quota-input.js';
import type { Item, ServerEnv } from '../core/types.js';

/**
 * Every MTA has its own cbpolicyd database and counters (a local SQLite file): an account that sends
 * through k MTAs gets k times the limit. Said on every multi-MTA install, with the ways out.
 */
export function mtaSpreadItem(env: ServerEnv, q: QuotaSettings, control: string): Item | undefined {
  const names = env.mtaServers.map((s) => s.name);
  const k = names.length;
  if (k < 2) return undefined;
  const others = names.filter((n) => n.toLowerCase() !== env.hostname.toLowerCase());
  return {
    control,
    subject: `${k} MTAs`,
    status: 'ok',
    severity: 'suggestion',
    message: `${names.join(', ')} each count in their own cbpolicyd database: an account that sends through all ${k} gets up to ${k}×${q.limit} = ${k * q.limit} recipients ${periodText(q.period)}`,
    actions: [],
    restart: [],
    details: [
      `apply the same limit on ${others.join(', ')} too (one playbook for every MTA: docs/ansible.md)`,
      `to keep the total at ${q.limit}, give each MTA --quota ${Math.max(1, Math.floor(q.limit / k))}, or make their cbpolicyd share one MariaDB database, which zimbra-harden does not manage (docs/ansible.md, "One count for every MTA")`,
    ],
  };
}
