import { localPartOf, type OwnAddresses } from './addresses.js';
import type { AgingMap } from './bounded-map.js';
import { FindingDraft } from './finding-draft.js';
import type { OutboundMessage } from './types.js';

const MAX_GROUPS = 10_000;
const MAX_SENDERS = 1000;
/**
 * A login that sent a few messages with one outside address as sender (a user's private freemail
 * address) is worth a note, not a relaying alarm: at most this many messages and outside recipients.
 */
const PRIVATE_MESSAGES = 10;
const PRIVATE_RECIPIENTS = 30;

/** A private address usually carries its owner's name: `dave.miller@gmail.com` for `dave@example.com`. */
export function sharesName(sender: string, account: string): boolean {
  const local = localPartOf(sender).toLowerCase();
  return localPartOf(account)
    .toLowerCase()
    .split(/[^a-z]+/)
    .some((part) => part.length >= 3 && local.includes(part));
}

/**
 * Forged-sender relaying (the recipe's case): mail to outside recipients whose envelope sender
 * is not one of ours — or is one of ours but not the authenticated account. Grouped by the
 * account behind it, else by client address.
 */
export class RelayDetector {
  readonly drafts = new Map<string, FindingDraft>();
  private readonly senders = new Map<string, Set<string>>();
  private readonly ips = new Map<string, Set<string>>();
  /** Set while rotated logs teach what was sent before: forged senders are remembered, nothing is reported. */
  learning = false;

  constructor(
    private readonly own: OwnAddresses,
    /** Outside envelope senders seen on relayed mail: a bounce to one of them is our backscatter. */
    private readonly forged: AgingMap<{ t: number }>,
  ) {}

  outbound(m: OutboundMessage): void {
    if (m.outside.length === 0) return;
    const foreign = !this.own.isOurs(m.sender);
    const mismatch =
      !foreign && m.origin === 'smtp-auth' && m.account !== undefined && m.sender !== m.account && !this.own.isDeclared(m.sender) && localPartOf(m.sender) !== localPartOf(m.account);
    // From the mailbox servers or mynetworks without a login, as an address of ours that is no account and that the
    // config does not declare (`monitor.ownAddresses`: an application's noreply@, say).
    const noAccount = !foreign && m.origin === 'unauthenticated' && !this.own.isDeclared(m.sender);
    if (!foreign && !mismatch && !noAccount) return;
    if (foreign) this.forged.set(m.sender, { t: m.time });
    if (this.learning) return;
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
    draft.via(m.mta);
    draft.add('messages');
    draft.add('outsideRecipients', m.outside.length);
    const senders = this.senders.get(subject)!;
    if (senders.size < MAX_SENDERS) senders.add(m.sender);
    draft.max('forgedSenders', senders.size);
    const ips = this.ips.get(subject)!;
    if (m.clientIp && ips.size < MAX_SENDERS) ips.add(m.clientIp);
    if (ips.size > 0) draft.max('clientIps', ips.size);
    draft.reasons.add(
      foreign
        ? 'mail to outside recipients with envelope senders that are not ours'
        : noAccount
          ? 'mail to outside recipients from mynetworks without a login, as addresses of our domains that are no account'
          : `authenticated as ${m.account} but sent as other addresses of our domains`,
    );
    draft.notes.set('senders', `envelope senders: ${[...senders].slice(0, 5).join(', ')}${senders.size > 5 ? `, … (${senders.size}${senders.size >= MAX_SENDERS ? '+' : ''} in all)` : ''}`);
    if (m.origin === 'unknown') draft.reasons.add('the submitting account could not be joined from the log (no SASL login or Passed line found)');
    if (foreign && m.origin === 'smtp-auth') draft.notes.set('ips', `client addresses: ${[...ips].slice(0, 20).join(' ')}${ips.size > 20 ? ' …' : ''}`);
  }

  /**
   * The drafts as findings are built: a login that used one outside address as sender for a few
   * messages becomes a low-severity `private-sender` note instead of a relaying alarm.
   */
  *finalDrafts(): Iterable<FindingDraft> {
    for (const [subject, draft] of this.drafts) {
      const senders = this.senders.get(subject)!;
      const [only] = senders;
      const privateSender =
        draft.origin === 'smtp-auth' &&
        senders.size === 1 &&
        only !== undefined &&
        draft.account !== undefined &&
        !this.own.isOurs(only) &&
        sharesName(only, draft.account) &&
        (draft.counts.messages ?? 0) <= PRIVATE_MESSAGES &&
        (draft.counts.outsideRecipients ?? 0) <= PRIVATE_RECIPIENTS;
      if (!privateSender) {
        yield draft;
        continue;
      }
      const note = new FindingDraft('private-sender', subject);
      note.account = draft.account;
      note.origin = draft.origin;
      note.reasons.add(`sent ${draft.counts.messages} message(s) through its own login with an outside address as envelope sender (${only}): probably the user's private address, not relaying`);
      note.copyFrom(draft);
      yield note;
    }
  }
}
