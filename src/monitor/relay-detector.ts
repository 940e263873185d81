import { localPartOf, type OwnAddresses } from './addresses.js';
import { FindingDraft } from './finding-draft.js';
import type { OutboundMessage } from './types.js';

const MAX_GROUPS = 10_000;
const MAX_SENDERS = 1000;

/**
 * Forged-sender relaying (the recipe's case): mail to outside recipients whose envelope sender
 * is not one of ours — or is one of ours but not the authenticated account. Grouped by the
 * account behind it, else by client address.
 */
export class RelayDetector {
  readonly drafts = new Map<string, FindingDraft>();
  private readonly senders = new Map<string, Set<string>>();
  private readonly ips = new Map<string, Set<string>>();

  constructor(private readonly own: OwnAddresses) {}

  outbound(m: OutboundMessage): void {
    if (m.outside.length === 0) return;
    const foreign = !this.own.isOurs(m.sender);
    const mismatch =
      !foreign && m.origin === 'smtp-auth' && m.account !== undefined && m.sender !== m.account && !this.own.isDeclared(m.sender) && localPartOf(m.sender) !== localPartOf(m.account);
    if (!foreign && !mismatch) return;
    const subject = m.account ?? (m.clientIp ? `client ${m.clientIp}` : 'unknown account');
    let draft = this.drafts.get(subject);
    if (!draft) {
      if (this.drafts.size >= MAX_GROUPS) return;
      draft = new FindingDraft('forged-sender-relay', subject);
      draft.account = m.account;
      draft.origin = m.origin;
      this.drafts.set(subject, draft);
      this.senders.set(subject, new Set());
      this.ips.set(subject, new Set());
    }
    draft.see(m.time, m.line);
    draft.ip(m.clientIp);
    draft.add('messages');
    draft.add('outsideRecipients', m.outside.length);
    const senders = this.senders.get(subject)!;
    if (senders.size < MAX_SENDERS) senders.add(m.sender);
    draft.max('forgedSenders', senders.size);
    const ips = this.ips.get(subject)!;
    if (m.clientIp && ips.size < MAX_SENDERS) ips.add(m.clientIp);
    if (ips.size > 0) draft.max('clientIps', ips.size);
    draft.reasons.add(foreign ? 'mail to outside recipients with envelope senders that are not ours' : `authenticated as ${m.account} but sent as other addresses of our domains`);
    draft.notes.set('senders', `envelope senders: ${[...senders].slice(0, 5).join(', ')}${senders.size > 5 ? `, … (${senders.size}${senders.size >= MAX_SENDERS ? '+' : ''} in all)` : ''}`);
    if (m.origin === 'unknown') draft.reasons.add('the submitting account could not be joined from the log (no SASL login or Passed line found)');
  }
}
