/**
 * Byte-level look at one syslog line: where the program tag and the message start, without
 * decoding the line. Classic (`Oct 30 08:49:20 host tag[pid]: msg`) and RFC 3339
 * (`2024-10-30T08:49:20.123+01:00 host tag[pid]: msg`) headers.
 */

export const Program = { Other: 0, Smtpd: 1, Smtp: 2, Bounce: 3, Amavis: 4, Cbpolicyd: 5, Qmgr: 6, Postsuper: 7 } as const;
export type Program = (typeof Program)[keyof typeof Program];

export interface LineView {
  program: Program;
  msgStart: number;
  /** The host field [hostStart, hostEnd): on a logger host, which server wrote the line. */
  hostStart?: number;
  hostEnd?: number;
  /** Length of the host field of the previous classic line read into this view: one server writes the whole log. */
  hostLength?: number;
}

const SP = 32;

function eq(buf: Buffer, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Fills `view` for the line [start, end); program Other when it is nothing we read. */
export function locate(buf: Buffer, start: number, end: number, view: LineView): void {
  view.program = Program.Other;
  let p: number;
  const c = buf[start]!;
  if (c >= 48 && c <= 57) {
    p = start;
    while (p < end && buf[p] !== SP) p++;
    view.hostStart = ++p;
    while (p < end && buf[p] !== SP) p++;
  } else {
    if (buf[start + 15] !== SP) return;
    view.hostStart = start + 16;
    const hostLength = view.hostLength ?? -1;
    p = start + 16 + hostLength;
    if (hostLength < 0 || buf[p] !== SP || buf[p - 1] === SP) {
      p = start + 16;
      while (p < end && buf[p] !== SP) p++;
      view.hostLength = p - start - 16;
    }
  }
  view.hostEnd = p;
  const tag = p + 1;
  if (tag + 8 >= end) return;
  // Most lines are dismissed by their first tag bytes: postfix/{qmgr,cleanup,postscreen,anvil,…}, slapd, saslauthd…
  const t0 = buf[tag];
  if (t0 === 112 /* p */) {
    const t8 = buf[tag + 8];
    if (t8 !== 115 /* s */ && t8 !== 108 /* l */ && t8 !== 98 /* b */ && t8 !== 113 /* q */ && t8 !== 112 /* p */) return;
  } else if (t0 !== 97 /* a */ && t0 !== 99 /* c */) {
    return;
  }
  let t = tag;
  let slash = -1;
  for (; t < end; t++) {
    const b = buf[t];
    if (b === 91 || b === 58 || b === SP) break; // [ : space
    if (b === 47) slash = t;
  }
  // message start: past "[pid]: " or ": "
  let m = t;
  if (buf[m] === 91) while (m < end && buf[m] !== 93) m++;
  if (buf[m] === 93) m++;
  if (buf[m] !== 58) return;
  view.msgStart = m + 2;
  if (t0 === 112 /* p */) {
    if (slash < 0 || !eq(buf, tag, 'postfix')) return;
    const len = t - slash - 1;
    const s = slash + 1;
    if (len === 5 && eq(buf, s, 'smtpd')) view.program = Program.Smtpd;
    else if (len === 4 && (eq(buf, s, 'smtp') || eq(buf, s, 'lmtp'))) view.program = Program.Smtp;
    else if (len === 6 && eq(buf, s, 'bounce')) view.program = Program.Bounce;
    else if (len === 4 && eq(buf, s, 'qmgr')) view.program = Program.Qmgr;
    else if (len === 9 && eq(buf, s, 'postsuper')) view.program = Program.Postsuper;
  } else if (t0 === 97 /* a */) {
    if (eq(buf, tag, 'amavis')) view.program = Program.Amavis;
  } else if (t0 === 99 /* c */) {
    if (eq(buf, tag, 'cbpolicyd')) view.program = Program.Cbpolicyd;
  }
}

/** Position of `text` in buf[from, to), or -1 (a plain loop: lines are short). */
export function findIn(buf: Buffer, from: number, to: number, text: string): number {
  const first = text.charCodeAt(0);
  // The second byte too before the whole word: most words start with a common byte (a space, `s`).
  const second = text.length > 1 ? text.charCodeAt(1) : -1;
  const last = to - text.length;
  for (let i = from; i <= last; i++) {
    if (buf[i] === first && (second < 0 || buf[i + 1] === second) && eq(buf, i, text)) return i;
  }
  return -1;
}

export { eq as bytesEqual };

type Latin1Slicer = { latin1Slice(start: number, end: number): string };

/** buf[start, end) as latin1 text (one char per byte: never fails, reversible). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Slicer).latin1Slice(start, Math.min(end, buf.length));
}
