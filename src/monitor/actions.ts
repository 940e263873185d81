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
        `zimbra-harden contain ${account}   # lock the account, hold its queued mail, end its sessions`,
        `then change its password and check its forwarding (zimbraPrefMailForwardingAddress)`,
        'zimbra-harden audit   # sender/login match and the per-account quota',
      ];
    case 'backscatter':
      return [
        'zimbra-harden audit   # catch-all per domain, so unknown recipients are not bounced',
        'check the deferred and active queues: /opt/zimbra/libexec/zmqstat',
      ];
    case 'deferred-queue':
      return [
        'look at the deferred queue: /opt/zimbra/libexec/zmqstat deferred (as root)',
        'if it is spam from one sender: zimbra-harden contain <account>, then postsuper -d ALL deferred',
        'check blocklists for the server address (e.g. a zen.spamhaus.org lookup from your own resolver)',
      ];
  }
}
