/** Parsers for the Postfix lines that matter, on the part after `QID: `. */

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
  const result: SmtpdClient = { ip: text.slice(open + 1, close) };
  const sasl = text.indexOf('sasl_username=', close);
  if (sasl >= 0) {
    const end = text.indexOf(',', sasl);
    const user = text.slice(sasl + 14, end < 0 ? undefined : end).trim().toLowerCase();
    if (user) result.saslUsername = user;
  }
  const orig = text.indexOf('orig_queue_id=', close);
  if (orig >= 0) {
    const m = /^[0-9A-Za-z]+/.exec(text.slice(orig + 14, orig + 40));
    if (m) result.origQueueId = m[0];
  }
  return result;
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
