import type { FindingType } from './types.js';

/** What to do about a finding: the containment command first, then how to check the hardening. */
export function actionsFor(type: FindingType, account: string | undefined): string[] {
  switch (type) {
    case 'forged-sender-relay':
    case 'stolen-account':
    case 'quota-hit':
      if (!account) {
        return [
          'find the client that submitted it (client IP above), block it, and check the web applications in mynetworks',
          'zimbra-harden audit   # reject_authenticated_sender_login_mismatch and the per-account quota',
        ];
      }
      return [
        `zimbra-harden contain ${account}   # lock it, new password, end its sessions, hold its queued mail, show its forwarding`,
        'zimbra-harden audit   # sender/login match and the per-account quota',
      ];
    case 'backscatter':
      return [
        'zimbra-harden audit   # catch-all per domain, so unknown recipients are not bounced',
        'zimbra-harden incident   # the bounces still queued and the block lists the server is on',
      ];
    case 'deferred-queue':
      return [
        'zimbra-harden incident   # the queue by sender, the accounts behind it, and the block lists the server is on',
        'if one account is behind it: zimbra-harden contain <account>   # holds its queued mail, nobody else\'s',
      ];
  }
}
