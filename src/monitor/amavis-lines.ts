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

function addressAt(msg: string, at: number): { address: string; end: number } | undefined {
  if (msg.charCodeAt(at) !== 60) return undefined; // <
  const close = msg.indexOf('>', at + 1);
  if (close < 0) return undefined; // truncated
  return { address: msg.slice(at + 1, close).toLowerCase(), end: close + 1 };
}

/** `<a>,<b>, <c>` from `at`; stops at the first thing that is not an address. */
export function recipientList(msg: string, at: number): { recipients: string[]; end: number } {
  const recipients: string[] = [];
  let p = at;
  for (;;) {
    const a = addressAt(msg, p);
    if (!a) break;
    recipients.push(a.address);
    p = a.end;
    if (msg.charCodeAt(p) !== 44) break; // ,
    p += 1;
    if (msg.charCodeAt(p) === 32) p += 1;
  }
  return { recipients, end: p };
}

export function parseFwd(id: string, msg: string, at: number): AmavisRecord | undefined {
  const from = addressAt(msg, at + 'FWD from '.length);
  if (!from) return undefined;
  if (!msg.startsWith(' -> ', from.end)) return undefined;
  const { recipients, end } = recipientList(msg, from.end + 4);
  const q = msg.indexOf('queued as ', end);
  const queuedAs: string[] = [];
  if (q >= 0) {
    const m = /^[0-9A-Za-z]+/.exec(msg.slice(q + 10, q + 40));
    if (m) queuedAs.push(m[0]);
  }
  return { kind: 'fwd', id, sender: from.address, recipients, queuedAs };
}

/** The value after `name` (up to `,` or a space), searched from `from`. */
function fieldAt(msg: string, from: number, name: string): string | undefined {
  const at = msg.indexOf(name, from);
  if (at < 0) return undefined;
  let end = at + name.length;
  while (end < msg.length && msg.charCodeAt(end) !== 44 && msg.charCodeAt(end) !== 32) end++;
  return msg.slice(at + name.length, end) || undefined;
}

export function parsePassed(id: string, msg: string, at: number): AmavisRecord | undefined {
  const lt = msg.indexOf(' <', at);
  if (lt < 0) return undefined;
  const from = addressAt(msg, lt + 1);
  if (!from || !msg.startsWith(' -> ', from.end)) return undefined;
  const { recipients, end } = recipientList(msg, from.end + 4);
  const originating = msg.indexOf('ORIGINATING', at);
  const lastOpen = msg.lastIndexOf('[', lt);
  const lastClose = msg.indexOf(']', lastOpen);
  const record: AmavisRecord = {
    kind: 'passed',
    id,
    sender: from.address,
    recipients,
    queuedAs: [],
    originating: originating >= 0 && originating < lt,
    mynets: originating >= 0 && originating < lt && msg.startsWith('/MYNETS', originating + 11),
    clientIp: lastOpen >= at && lastClose > lastOpen && lastClose < lt ? msg.slice(lastOpen + 1, lastClose) : undefined,
  };
  const queueId = fieldAt(msg, end, 'Queue-ID: ');
  if (queueId) record.queueId = queueId;
  const queuedAs = fieldAt(msg, end, 'queued_as: ');
  if (queuedAs) record.queuedAs = queuedAs.split('/').filter(Boolean);
  return record;
}
