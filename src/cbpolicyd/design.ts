/**
 * The cbpolicyd rows zimbra-harden wants, as plain data: the per-account design (default) or the
 * recipe's literal quota. Rows are found by name when they are written (reconcile.ts).
 */
import { allowedRecipients, counterLimitFor, PATH_LABELS, type PathId } from './counting.js';

export const POLICY_PRIORITY = 60;
export const AUTH_POLICY = 'zimbra-harden: authenticated senders';
export const WEBMAIL_POLICY = 'zimbra-harden: webmail';
export const SUBMITTERS_GROUP = 'zimbra_harden_mailbox_servers';
export const AUTH_QUOTA = 'zimbra-harden: per SMTP AUTH login';
export const WEBMAIL_QUOTA = 'zimbra-harden: per webmail sender';
export const RECIPE_POLICY = 'Default';
export const RECIPE_QUOTA = 'Delivery Per User';

export interface DesiredLimit {
  counterLimit: number;
  comment: string;
}

export interface DesiredQuota {
  name: string;
  track: string;
  period: number;
  verdict: 'DEFER';
  data: string;
  lastQuota: 0 | 1;
  comment: string;
  /** The one MessageCount limit of the quota. */
  limit: DesiredLimit;
}

export interface DesiredMember {
  source: string | null;
  destination: string | null;
  comment: string;
}

export interface DesiredPolicy {
  name: string;
  /** false: the policy must already exist (the stock `Default`); only its Disabled flag is managed. */
  create: boolean;
  priority?: number;
  description?: string;
  /** Exactly these members (others of the policy are disabled); undefined: members left alone. */
  members?: DesiredMember[];
  quotas: DesiredQuota[];
}

export interface DesiredGroup {
  name: string;
  comment: string;
  members: { member: string; comment: string }[];
}

/** Something of ours the other style wrote: disabled (never deleted) when it is enabled. */
export interface Retired {
  policy: string;
  quota?: string;
  why: string;
}

export interface QuotaDesign {
  style: 'per-account' | 'recipe';
  groups: DesiredGroup[];
  policies: DesiredPolicy[];
  retire: Retired[];
  /** What each way of sending gets, for the admin. */
  summary: string[];
}

export interface DesignInput {
  /** At most this many recipients per period. */
  limit: number;
  period: number;
  /** Policy requests per recipient, per path, for SMTP AUTH clients and for mynetworks clients. */
  sasl: Record<PathId, number>;
  mynetworks: Record<PathId, number>;
  /** Addresses or networks the mailbox servers submit from (Postfix mynetworks), as cbpolicyd members. */
  submitters: string[];
}

export function periodText(seconds: number): string {
  if (seconds === 3600) return 'per hour';
  if (seconds === 86400) return 'per day';
  if (seconds % 3600 === 0) return `per ${seconds / 3600} hours`;
  if (seconds % 60 === 0) return `per ${seconds / 60} minutes`;
  return `per ${seconds} s`;
}

/** k of the path the SMTP AUTH limit is sized for: submission first, then port 25. */
export function primarySaslPath(sasl: Record<PathId, number>): PathId | undefined {
  return (['submission', 'smtps', 'smtp'] as const).find((p) => sasl[p] > 0);
}

function pathSummary(who: string, counterLimit: number, counts: Record<PathId, number>, only?: PathId[]): string {
  const parts = (Object.keys(PATH_LABELS) as PathId[])
    .filter((p) => !only || only.includes(p))
    .map((p) => (counts[p] > 0 ? `${PATH_LABELS[p]}: ${allowedRecipients(counterLimit, counts[p])}` : `${PATH_LABELS[p]}: not counted`));
  return `${who}: ${parts.join(', ')}`;
}

export function perAccountDesign(input: DesignInput): QuotaDesign {
  const { limit: n, period } = input;
  const per = periodText(period);
  const saslPath = primarySaslPath(input.sasl);
  const kSasl = saslPath ? input.sasl[saslPath] : 1;
  const kWeb = input.mynetworks.smtp;
  const saslLimit = counterLimitFor(n, kSasl);
  const webLimit = counterLimitFor(n, kWeb);
  const data = `Sending limit reached: at most ${n} recipients ${per}. Try again later or ask your administrator.`;
  const exact = (c: number, k: number, path: string) =>
    `CounterLimit ${c} lets exactly ${n} recipients through on ${path}: cbpolicyd defers only once the count before a recipient exceeds CounterLimit, and Postfix asks it ${Math.max(k, 1)}x per recipient there`;
  return {
    style: 'per-account',
    groups: [
      {
        name: SUBMITTERS_GROUP,
        comment: 'zimbra-harden: where the mailbox servers submit from without SMTP AUTH (webmail); the MTA\'s Postfix mynetworks',
        members: input.submitters.map((member) => ({ member, comment: 'zimbra-harden: from postconf mynetworks' })),
      },
    ],
    policies: [
      {
        name: AUTH_POLICY,
        create: true,
        priority: POLICY_PRIORITY,
        description: 'zimbra-harden: mail sent with SMTP AUTH, on any port, counted per login whatever sender address it claims',
        members: [{ source: '$*', destination: null, comment: 'zimbra-harden: $* = any SMTP AUTH (SASL) client, to any destination' }],
        quotas: [
          {
            name: AUTH_QUOTA,
            track: 'SASLUsername',
            period,
            verdict: 'DEFER',
            data,
            lastQuota: 0,
            comment: `zimbra-harden: at most ${n} recipients ${per} per SMTP AUTH login, whatever MAIL FROM it uses; DEFER answers 450, so the client can retry later`,
            limit: { counterLimit: saslLimit, comment: `zimbra-harden: ${exact(saslLimit, kSasl, saslPath ? PATH_LABELS[saslPath] : 'submission')}` },
          },
        ],
      },
      {
        name: WEBMAIL_POLICY,
        create: true,
        priority: POLICY_PRIORITY,
        description: 'zimbra-harden: mail the mailbox servers submit without SMTP AUTH (webmail), counted per envelope sender',
        members: [
          { source: `%${SUBMITTERS_GROUP},$-`, destination: null, comment: `zimbra-harden: from ${SUBMITTERS_GROUP} AND not authenticated ($-), to any destination` },
        ],
        quotas: [
          {
            name: WEBMAIL_QUOTA,
            track: 'Sender:user@domain',
            period,
            verdict: 'DEFER',
            data,
            lastQuota: 0,
            comment: `zimbra-harden: at most ${n} recipients ${per} per envelope sender for webmail (Zimbra forces the account's own address as sender)`,
            limit: { counterLimit: webLimit, comment: `zimbra-harden: ${exact(webLimit, kWeb, 'port 25 (webmail)')}` },
          },
        ],
      },
    ],
    retire: [{ policy: RECIPE_POLICY, quota: RECIPE_QUOTA, why: 'the recipe\'s quota counts inbound mail and forged senders; replaced by the per-account limits' }],
    summary: [
      pathSummary(`SMTP AUTH, at most ${n} recipients ${per} per login`, saslLimit, input.sasl),
      pathSummary(`webmail, at most ${n} recipients ${per} per sender`, webLimit, input.mynetworks, ['smtp']),
      'mail from the Internet to your users: never counted',
    ],
  };
}

/** The recipe's literal quota: per sender on policy Default (everything, inbound too), CounterLimit = N. */
export function recipeDesign(input: DesignInput): QuotaDesign {
  const { limit: n, period } = input;
  const per = periodText(period);
  return {
    style: 'recipe',
    groups: [],
    policies: [
      {
        name: RECIPE_POLICY,
        create: false,
        quotas: [
          {
            name: RECIPE_QUOTA,
            track: 'Sender:user@domain',
            period,
            verdict: 'DEFER',
            data: `Maximum ${n} emails delivery ${per}`,
            lastQuota: 1,
            comment: `zimbra-harden (--quota-style recipe): the recipe's quota, per envelope sender on every message policy Default matches, inbound included; stop processing here`,
            limit: {
              counterLimit: n,
              comment: `zimbra-harden (--quota-style recipe): CounterLimit ${n} as the recipe writes it; cbpolicyd lets ${n + 1} recipients through where it asks once per recipient, about half where it asks twice (port 25)`,
            },
          },
        ],
      },
    ],
    retire: [
      { policy: AUTH_POLICY, why: 'replaced by the recipe\'s quota (--quota-style recipe)' },
      { policy: WEBMAIL_POLICY, why: 'replaced by the recipe\'s quota (--quota-style recipe)' },
    ],
    summary: [
      pathSummary(`every sender address, inbound included (recipe), CounterLimit ${n}`, n, input.sasl),
      'mail from the Internet: counted per (possibly forged) sender, so outsiders can use up your users\' budget',
    ],
  };
}
