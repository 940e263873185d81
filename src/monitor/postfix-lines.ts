/** Parsers for the Postfix lines that matter, on the part after `QID: `. */
import { bytesEqual, findIn, latin1 } from './syslog-line.js';

export interface SmtpdClient {
  ip: string;
  saslUsername?: string;
  /** Postfix with XFORWARD: the queue id the message had before the content filter. */
  origQueueId?: string;
}

/** `client=name[ip], sasl_method=LOGIN, sasl_username=u` (also `orig_queue_id=`, `orig_client=`). */
export function parseSmtpdClient(text: string): SmtpdClient | undefined {
  if (!text.startsWith('client=')) return undefined;
  const open = text.indexOf('[');
  const close = text.indexOf(']', open + 1);
  if (open < 0 || close < 0) return undefined;
  let saslUsername: string | undefined;
  const sasl = text.indexOf('sasl_username=', close);
  if (sasl >= 0) {
    const end = text.indexOf(',', sasl);
    saslUsername = trimmedLower(text, sasl + 14, end < 0 ? text.length : end) || undefined;
  }
  let origQueueId: string | undefined;
  const orig = text.indexOf('orig_queue_id=', close);
  if (orig >= 0) origQueueId = /^[0-9A-Za-z]+/.exec(text.slice(orig + 14, orig + 40))?.[0];
  return { ip: text.slice(open + 1, close), saslUsername, origQueueId };
}

/**
 * {@link parseSmtpdClient} on the bytes buf[from, end), decoding only the address, login and
 * queue id: what is kept of a login holds no slice of its whole line.
 */
export function smtpdClientAt(buf: Buffer, from: number, end: number): SmtpdClient | undefined {
  if (from + 7 > end || !bytesEqual(buf, from, 'client=')) return undefined;
  const open = byteIn(buf, 91, from, end); // [
  const close = open < 0 ? -1 : byteIn(buf, 93, open + 1, end); // ]
  if (close < 0) return undefined;
  let saslUsername: string | undefined;
  const sasl = findIn(buf, close, end, 'sasl_username=');
  if (sasl >= 0) {
    const comma = byteIn(buf, 44, sasl, end);
    const user = latin1(buf, sasl + 14, comma < 0 ? end : comma);
    saslUsername = trimmedLower(user, 0, user.length) || undefined;
  }
  let origQueueId: string | undefined;
  const orig = findIn(buf, close, end, 'orig_queue_id=');
  if (orig >= 0) {
    let e = orig + 14;
    while (e < end && e < orig + 40 && isAlnum(buf[e]!)) e++;
    if (e > orig + 14) origQueueId = latin1(buf, orig + 14, e);
  }
  return { ip: latin1(buf, open + 1, close), saslUsername, origQueueId };
}

function byteIn(buf: Buffer, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === byte) return i;
  return -1;
}

function isAlnum(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122);
}

/** text[from, to) trimmed and in lower case; copied only when that changes something (the usual login is clean). */
function trimmedLower(text: string, from: number, to: number): string {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || (c >= 65 && c <= 90) || c >= 128) return text.slice(from, to).trim().toLowerCase();
  }
  return text.slice(from, to);
}

export interface Delivery {
  to: string;
  relay: string;
  status: string;
  /** `queued as NEWQID` in the reply (the content filter hop). */
  queuedAs?: string;
}

/** `to=<r>, [orig_to=<o>,] relay=host[ip]:port, delay=…, dsn=…, status=sent (reply)` */
export function parseDelivery(text: string): Delivery | undefined {
  if (!text.startsWith('to=<')) return undefined;
  const close = text.indexOf('>', 4);
  if (close < 0) return undefined;
  const relayAt = text.indexOf('relay=', close);
  const statusAt = text.indexOf('status=', close);
  if (statusAt < 0) return undefined;
  const relayEnd = relayAt < 0 ? -1 : text.indexOf(',', relayAt);
  const statusEnd = text.indexOf(' ', statusAt);
  const delivery: Delivery = {
    to: text.slice(4, close).toLowerCase(),
    relay: relayAt < 0 ? '' : text.slice(relayAt + 6, relayEnd < 0 ? undefined : relayEnd),
    status: text.slice(statusAt + 7, statusEnd < 0 ? undefined : statusEnd),
  };
  const q = text.indexOf('queued as ', statusAt);
  if (q >= 0) {
    const m = /^[0-9A-Za-z]+/.exec(text.slice(q + 10, q + 40));
    if (m) delivery.queuedAs = m[0];
  }
  return delivery;
}

/** `sender non-delivery notification: QID2` → QID2 (also delay and success notifications are skipped). */
export function parseBounce(text: string): string | undefined {
  const marker = 'sender non-delivery notification: ';
  if (!text.startsWith(marker)) return undefined;
  const m = /^[0-9A-Za-z]+/.exec(text.slice(marker.length));
  return m?.[0];
}

/** cbpolicyd: `module=Quotas, action=defer, …, reason=quota_match, …, track=Sender:u@d, …` */
export function parseQuotaMatch(text: string): { track: string; account: string; action: string } | undefined {
  if (!text.includes('reason=quota_match')) return undefined;
  const field = (name: string): string | undefined => {
    const m = new RegExp(`(?:^|[ ,])${name}=([^,]*)`).exec(text);
    return m?.[1]?.trim();
  };
  const track = field('track') ?? '';
  const action = field('action') ?? '';
  const colon = track.indexOf(':');
  let account = (colon >= 0 ? track.slice(colon + 1) : track).toLowerCase();
  if (!account || account.startsWith('/')) account = (field('from') ?? field('sasl_username') ?? track).toLowerCase();
  return { track, account, action };
}
