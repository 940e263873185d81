/**
 * What `postqueue -p` and `postqueue -j` print for the simulated queue, byte for byte as
 * Postfix's showq_compat.c and showq_json.c format it (short queue ids, enable_long_queue_ids=no).
 */
import type { QueuedMessage, QueueRecipient } from './store.js';

/** main.cf empty_address_recipient: how the null sender is shown. */
const EMPTY_ADDRESS = 'MAILER-DAEMON';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const p2 = (n: number) => String(n).padStart(2, '0');

/** C asctime(localtime(t)): `Wed Oct  3 08:49:20 2024\n`. */
export function asctime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]}${String(d.getDate()).padStart(3)} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())} ${d.getFullYear()}\n`;
}

/** printf `%-Ns` / `%Ns` (no truncation, as C does). */
const left = (s: string, width: number) => s.padEnd(width);
const right = (s: string, width: number) => s.padStart(width);

/** The defer logfile's recipients come first (with their reasons), then the others. */
function ordered(recipients: readonly QueueRecipient[]): QueueRecipient[] {
  return [...recipients.filter((r) => r.reason), ...recipients.filter((r) => !r.reason)];
}

function statusMark(message: QueuedMessage, forcedExpire: boolean): string {
  let mark = message.queue === 'active' ? '*' : message.queue === 'hold' ? '!' : '';
  if (forcedExpire && message.forcedExpire) mark += '#';
  return mark;
}

export interface ShowqOptions {
  /** Postfix 3.0+ prints "(reason unavailable)" after a recipient with a reason. */
  reasonUnavailable: boolean;
  /** Postfix 3.5+ knows forced expiry (`#` mark, `forced_expire` in JSON). */
  forcedExpire: boolean;
}

/** `postqueue -p`. */
export function formatMailq(messages: readonly QueuedMessage[], options: ShowqOptions): string {
  if (messages.length === 0) return 'Mail queue is empty\n';
  let out = '';
  let bytes = 0;
  messages.forEach((m, n) => {
    out += n === 0 ? `${left('-Queue ID-', 11)} ${right('--Size--', 7)} ${left('----Arrival Time----', 20)} -Sender/Recipient-------\n` : '\n';
    out += `${left(m.id + statusMark(m, options.forcedExpire), 11)} ${right(String(m.size), 7)} ${asctime(m.arrival).slice(0, 20)} ${m.sender || EMPTY_ADDRESS}\n`;
    let saved = '';
    for (const r of ordered(m.recipients)) {
      const why = r.reason ?? '';
      if (why !== saved && (why !== '' || options.reasonUnavailable)) {
        const shown = why || 'reason unavailable';
        out += `${' '.repeat(Math.max(0, 76 - shown.length))}(${shown})\n`;
      }
      saved = why;
      out += `${' '.repeat(41)}${r.address}\n`;
    }
    bytes += m.size;
  });
  return `${out}\n-- ${Math.floor(bytes / 1024)} Kbytes in ${messages.length} Request${messages.length === 1 ? '' : 's'}.\n`;
}

/** json_quote(): short escapes for common controls, \u00XX (upper case) for the others. */
function jsonQuote(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** `postqueue -j`: one JSON object per line. */
export function formatJson(messages: readonly QueuedMessage[], options: ShowqOptions): string {
  return messages
    .map((m) => {
      const recipients = ordered(m.recipients)
        .map((r) => `{"address": "${jsonQuote(r.address)}"${r.reason ? `, "delay_reason": "${jsonQuote(r.reason)}"` : ''}}`)
        .join(', ');
      const expire = options.forcedExpire ? `"forced_expire": ${m.forcedExpire ? 'true' : 'false'}, ` : '';
      return `{"queue_name": "${m.queue}", "queue_id": "${jsonQuote(m.id)}", "arrival_time": ${m.arrival}, "message_size": ${m.size}, ${expire}"sender": "${jsonQuote(m.sender || EMPTY_ADDRESS)}", "recipients": [${recipients}]}\n`;
    })
    .join('');
}
