/**
 * Parsers for the amavis lines that matter, on the message part of the syslog line
 * (what follows `amavis[pid]: `). Both `FWD from` formats:
 *   (16426-04) FWD from <a@b> -> <x@y>,<z@w>,BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as E6806280D72
 *   (02526-20) 2mwr_Uo4Q4fX FWD from <a@b> -> <x@y>, BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10030): …
 * and the `Passed` summary (with or without `{RelayedOutbound}` and `Queue-ID:`).
 */

export interface AmavisRecord {
  kind: 'fwd' | 'passed';
  /** amavis log id `pid-seq`: every line of one message's pass carries it. */
  id: string;
  sender: string;
  recipients: string[];
  /** Queue id of the message amavis received (Passed, amavisd 2.7+). */
  queueId?: string;
  /** Queue ids of what amavis re-injected. */
  queuedAs: string[];
  /** Passed: the ORIGINATING policy bank (authenticated or mynetworks clients). */
  originating?: boolean;
  mynets?: boolean;
  clientIp?: string;
}

/** Skips an optional mail_id token (`2mwr_Uo4Q4fX `) before a keyword. */
export function keywordAt(msg: string, at: number, keyword: string): number {
  if (msg.startsWith(keyword, at)) return at;
  const sp = msg.indexOf(' ', at);
  if (sp > at && sp - at <= 20 && msg.startsWith(keyword, sp + 1)) return sp + 1;
  return -1;
}

/** Index of the `>` that closes the address starting at `at` (a `<`), or -1 (no address, or truncated). */
function addressClose(msg: string, at: number): number {
  return msg.charCodeAt(at) === 60 ? msg.indexOf('>', at + 1) : -1;
}

/** msg[from, to) in lower case, copied only when something changes (most addresses are lower case already). */
function lowerSlice(msg: string, from: number, to: number): string {
  for (let i = from; i < to; i++) {
    const c = msg.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 128) return msg.slice(from, to).toLowerCase();
  }
  return msg.slice(from, to);
}

/** Adds the addresses of `<a>,<b>, <c>` from `at` to `into`; stops at the first thing that is not an address. Returns where it stopped. */
function readRecipients(msg: string, at: number, into: string[]): number {
  let p = at;
  for (;;) {
    const close = addressClose(msg, p);
    if (close < 0) return p;
    into.push(lowerSlice(msg, p + 1, close));
    p = close + 1;
    if (msg.charCodeAt(p) !== 44) return p; // ,
    p += 1;
    if (msg.charCodeAt(p) === 32) p += 1;
  }
}

export function parseFwd(id: string, msg: string, at: number): AmavisRecord | undefined {
  const from = at + 'FWD from '.length;
  const close = addressClose(msg, from);
  if (close < 0 || !msg.startsWith(' -> ', close + 1)) return undefined;
  const recipients: string[] = [];
  const end = readRecipients(msg, close + 5, recipients);
  const q = msg.indexOf('queued as ', end);
  const queuedAs: string[] = [];
  if (q >= 0) {
    const m = /^[0-9A-Za-z]+/.exec(msg.slice(q + 10, q + 40));
    if (m) queuedAs.push(m[0]);
  }
  return { kind: 'fwd', id, sender: lowerSlice(msg, from + 1, close), recipients, queueId: undefined, queuedAs, originating: undefined, mynets: undefined, clientIp: undefined };
}

/** The value after `name` (up to `,` or a space), searched from `from`. */
function fieldAt(msg: string, from: number, name: string): string | undefined {
  const at = msg.indexOf(name, from);
  if (at < 0) return undefined;
  let end = at + name.length;
  while (end < msg.length && msg.charCodeAt(end) !== 44 && msg.charCodeAt(end) !== 32) end++;
  return msg.slice(at + name.length, end) || undefined;
}

/** `A/B/C` (several re-injected copies) → [A, B, C]. */
function queueIds(text: string): string[] {
  if (!text.includes('/')) return [text];
  const ids: string[] = [];
  for (const id of text.split('/')) if (id) ids.push(id);
  return ids;
}

export function parsePassed(id: string, msg: string, at: number): AmavisRecord | undefined {
  const lt = msg.indexOf(' <', at);
  if (lt < 0) return undefined;
  const close = addressClose(msg, lt + 1);
  if (close < 0 || !msg.startsWith(' -> ', close + 1)) return undefined;
  const recipients: string[] = [];
  const end = readRecipients(msg, close + 5, recipients);
  const originating = msg.indexOf('ORIGINATING', at);
  const lastOpen = msg.lastIndexOf('[', lt);
  const lastClose = msg.indexOf(']', lastOpen);
  const queuedAs = fieldAt(msg, end, 'queued_as: ');
  // One shape for every record (all fields set at once): the code reading them stays monomorphic.
  return {
    kind: 'passed',
    id,
    sender: lowerSlice(msg, lt + 2, close),
    recipients,
    queueId: fieldAt(msg, end, 'Queue-ID: '),
    queuedAs: queuedAs ? queueIds(queuedAs) : [],
    originating: originating >= 0 && originating < lt,
    mynets: originating >= 0 && originating < lt && msg.startsWith('/MYNETS', originating + 11),
    clientIp: lastOpen >= at && lastClose > lastOpen && lastClose < lt ? msg.slice(lastOpen + 1, lastClose) : undefined,
  };
}
