/**
 * How many times cbpolicyd counts one recipient on each way mail enters Postfix (measured with
 * Postfix 3.7 and cbpolicyd 2.1.0.0): with `smtpd_delay_reject=yes` (the default) Postfix re-runs
 * the sender restrictions at every RCPT and caches no policy answer, so it asks the policy service
 * once per restriction list that reaches `check_policy_service`, and the Quotas module adds 1 to
 * MessageCount per request. A list stops early for a client that a `permit…` before the check lets
 * through, so the count depends on the client too.
 */

/** Who is sending: an SMTP AUTH user, a host of mynetworks without AUTH (webmail), anyone else. */
export type ClientClass = 'sasl' | 'mynetworks' | 'outside';

export type PathId = 'smtp' | 'submission' | 'smtps';

export const PATH_LABELS: Record<PathId, string> = {
  smtp: 'port 25',
  submission: 'submission 587',
  smtps: 'smtps 465',
};

/** The two restriction lists that can call the policy service at RCPT time, as one path sees them. */
export interface PathLists {
  id: PathId;
  sender: string;
  recipient: string;
}

export interface MasterOverride {
  service: string;
  type: string;
  param: string;
  value: string;
}

/** The master.cf services that are each path (smtpd behind postscreen is `smtpd/pass` on 8.0+). */
const SERVICES: Record<PathId, [string, string][]> = {
  smtp: [
    ['smtp', 'inet'],
    ['smtpd', 'pass'],
  ],
  submission: [['submission', 'inet']],
  smtps: [
    ['465', 'inet'],
    ['smtps', 'inet'],
  ],
};

/** main.cf values with each path's `-o` overrides applied. */
export function pathLists(main: { sender: string; recipient: string }, overrides: readonly MasterOverride[]): PathLists[] {
  return (Object.keys(SERVICES) as PathId[]).map((id) => {
    const lists = { id, sender: main.sender, recipient: main.recipient };
    for (const o of overrides) {
      if (!SERVICES[id].some(([service, type]) => service === o.service && type === o.type)) continue;
      if (o.param === 'smtpd_sender_restrictions') lists.sender = o.value;
      if (o.param === 'smtpd_recipient_restrictions') lists.recipient = o.value;
    }
    return lists;
  });
}

const POLICY_TARGET = /^inet:(?:localhost|127\.0\.0\.1|\[::1\]):(\d+)$/;

/** 1 when a restriction list reaches the policy check on `port` for this client, else 0. */
export function reachesPolicy(list: string, port: number, client: ClientClass): 0 | 1 {
  const tokens = list.split(/[\s,]+/).filter((t) => t !== '');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.toLowerCase();
    if (token === 'check_policy_service') {
      const target = POLICY_TARGET.exec(tokens[i + 1] ?? '');
      if (target && Number(target[1]) === port) return 1;
      i++;
    } else if (token === 'permit') {
      return 0;
    } else if (token === 'permit_sasl_authenticated' && client === 'sasl') {
      return 0;
    } else if (token === 'permit_mynetworks' && client === 'mynetworks') {
      return 0;
    }
  }
  return 0;
}

/** k: policy requests per recipient for this client on this path (sender copy + recipient copy). */
export function timesCounted(lists: PathLists, port: number, client: ClientClass): number {
  return reachesPolicy(lists.sender, port, client) + reachesPolicy(lists.recipient, port, client);
}

/** True when any list of any path calls the policy service: the wiring is live, not a prediction. */
export function isLive(paths: readonly PathLists[], port: number): boolean {
  const re = new RegExp(`check_policy_service[\\s,]+inet:(?:localhost|127\\.0\\.0\\.1|\\[::1\\]):${port}(?![0-9])`);
  return paths.some((p) => re.test(p.sender) || re.test(p.recipient));
}

/**
 * Recipients that pass before cbpolicyd defers, for a stored CounterLimit and k requests per
 * recipient: recipient r passes while k·r − 1 ≤ CounterLimit (the limit is exclusive, V).
 */
export function allowedRecipients(counterLimit: number, k: number): number {
  return k <= 0 ? Infinity : Math.floor((counterLimit + 1) / k);
}

/** What to store so that exactly n recipients pass on a path that counts each one k times. */
export function counterLimitFor(n: number, k: number): number {
  return Math.max(1, k) * n - 1;
}
