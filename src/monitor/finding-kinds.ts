/**
 * Every kind of finding in one table: its title, short name, place in a report, severity and
 * the actions to take. A new detector adds its row here and nothing else outside its own file.
 */
import { shellWord } from '../ui/shell-word.js';

export const FINDING_TYPES = ['forged-sender-relay', 'stolen-account', 'quota-hit', 'backscatter', 'deferred-queue', 'private-sender'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

export interface FindingKind {
  title: string;
  short: string;
  /** Low: worth a note, not an alarm. */
  severity: 'high' | 'low';
  /** What to do, given the account behind the finding when it is known (and exists). */
  actions(account: string | undefined): string[];
}

const containActions = (account: string | undefined): string[] =>
  account === undefined
    ? [
        'find the client that submitted it (client IP above), block it, and check the web applications in mynetworks',
        'zimbra-harden audit   # reject_authenticated_sender_login_mismatch and the per-account quota',
      ]
    : [
        `zimbra-harden contain ${shellWord(account)}   # lock it, new password, end its sessions, hold its queued mail, show its forwarding`,
        'zimbra-harden audit   # sender/login match and the per-account quota',
      ];

/** In report order. */
export const FINDING_KINDS: Record<FindingType, FindingKind> = {
  'forged-sender-relay': { title: 'Forged-sender relaying', short: 'relaying', severity: 'high', actions: containActions },
  'stolen-account': { title: 'Stolen account', short: 'stolen account', severity: 'high', actions: containActions },
  'quota-hit': { title: 'Outbound limit hit (cbpolicyd)', short: 'quota hit', severity: 'high', actions: containActions },
  backscatter: {
    title: 'Backscatter',
    short: 'backscatter',
    severity: 'high',
    actions: () => [
      'zimbra-harden audit   # catch-all per domain, so unknown recipients are not bounced',
      'zimbra-harden incident   # the bounces still queued and the block lists the server is on',
    ],
  },
  'deferred-queue': {
    title: 'Deferred queue growing',
    short: 'deferred queue',
    severity: 'high',
    actions: () => [
      'zimbra-harden incident   # the queue by sender, the accounts behind it, and the block lists the server is on',
      "if one account is behind it: zimbra-harden contain ACCOUNT   # holds its queued mail, nobody else's",
    ],
  },
  'private-sender': {
    title: 'Own mail sent with a private address as sender',
    short: 'private sender',
    severity: 'low',
    actions: (account) => [
      `nothing urgent: ask ${account === undefined ? 'the user' : shellWord(account)} to send with their own address (or declare the private address in monitor.ownAddresses)`,
    ],
  },
};

export const FINDING_ORDER: readonly FindingType[] = FINDING_TYPES;
