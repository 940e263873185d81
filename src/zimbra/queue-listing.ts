/** Parsers of Postfix queue listings: `postqueue -j` (JSON lines, 3.1+) and `postqueue -p` (text, any version). */

export type QueueName = 'active' | 'incoming' | 'deferred' | 'hold' | 'maildrop';

export interface QueuedMail {
  id: string;
  /** From -p: 'active' (`*`), 'hold' (`!`), else deferred or incoming — shown as 'deferred' when a reason is given, else 'incoming'. */
  queue: QueueName;
  /** Envelope sender, lower-cased; '' for the null sender (MAILER-DAEMON). */
  sender: string;
  recipients: { address: string; reason?: string }[];
  size: number;
  /** Arrival time, epoch ms (NaN when the listing did not say). */
  arrival: number;
}

const NULL_SENDER = 'mailer-daemon';
const normalSender = (s: string) => (s.toLowerCase() === NULL_SENDER ? '' : s.toLowerCase());

/** `postqueue -j`; lines that are not JSON objects are skipped. */
export function parseQueueJson(text: string): QueuedMail[] {
  const out: QueuedMail[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof o.queue_id !== 'string') continue;
    const recipients = Array.isArray(o.recipients) ? (o.recipients as Record<string, unknown>[]) : [];
    out.push({
      id: o.queue_id,
      queue: (typeof o.queue_name === 'string' ? o.queue_name : 'deferred') as QueueName,
      sender: normalSender(String(o.sender ?? '')),
      recipients: recipients.map((r) => ({ address: String(r.address ?? '').toLowerCase(), ...(typeof r.delay_reason === 'string' ? { reason: r.delay_reason } : {}) })),
      size: Number(o.message_size ?? 0),
      arrival: Number(o.arrival_time ?? Number.NaN) * 1000,
    });
  }
  return out;
}

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** `Wed Oct 30 08:49:20` (local time, no year): the latest such date not after `now`. */
function arrivalOf(text: string, now: Date): number {
  const m = /^\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)/.exec(text);
  if (!m || MONTHS[m[1]!] === undefined) return Number.NaN;
  const at = (year: number) => new Date(year, MONTHS[m[1]!]!, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])).getTime();
  const t = at(now.getFullYear());
  return t > now.getTime() + 86_400_000 ? at(now.getFullYear() - 1) : t;
}

/** `postqueue -p` (showq's mailq format, short or long queue ids). */
export function parseQueueText(text: string, now = new Date()): QueuedMail[] {
  const out: QueuedMail[] = [];
  let current: QueuedMail | undefined;
  let reason: string | undefined;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('-Queue ID-') || line.startsWith('----Queue ID') || line.startsWith('-- ') || line === 'Mail queue is empty') {
      if (line === '') current = undefined;
      continue;
    }
    const head = /^([0-9A-Za-z_]+)([*!]?)#?\s+(\d+) (\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d)\s+(.*)$/.exec(line);
    if (head && !line.startsWith(' ')) {
      const mark = head[2];
      current = { id: head[1]!, queue: mark === '*' ? 'active' : mark === '!' ? 'hold' : 'incoming', sender: normalSender(head[5]!.trim()), recipients: [], size: Number(head[3]), arrival: arrivalOf(head[4]!, now) };
      reason = undefined;
      out.push(current);
      continue;
    }
    if (!current) continue;
    const trimmed = line.trim();
    if (trimmed.startsWith('(') && trimmed.endsWith(')')) {
      reason = trimmed.slice(1, -1);
      if (reason === 'reason unavailable') reason = undefined;
      if (current.queue === 'incoming' && reason) current.queue = 'deferred';
      continue;
    }
    current.recipients.push({ address: trimmed.toLowerCase(), ...(reason ? { reason } : {}) });
  }
  return out;
}
