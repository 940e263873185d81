import type { OwnAddresses } from './addresses.js';
import { keywordAt, parseFwd, parsePassed } from './amavis-lines.js';
import { AgingMap } from './bounded-map.js';
import { AnchoredWords, MarkedLines, NarrowingNeedle, Needle, type Marker, type MarkerSource } from './line-markers.js';
import { RareWords } from './rare-words.js';
import { MessageAssembler, SETTLE_MS, type AssemblerState } from './message-assembler.js';
import { parseBounce, parseDelivery, parseQuotaMatch, smtpdClientAt } from './postfix-lines.js';
import { bytesEqual, findIn, latin1, locate, Program, type LineView } from './syslog-line.js';
import { deferralCause } from './queue-detectors.js';
import { parseTimestamp, timestampAt, type YearTracker } from './timestamp.js';
import type { EventSink } from './types.js';

export interface CorrelatorState {
  assembler: AssemblerState;
  bounces: [string, Bounce][];
  partial: [string, { t: number; text: string; rest: number }][];
  /** Syslog hosts in the order first seen: the first one's ids are kept as they are, the others' get `@n`. */
  hosts?: string[];
}

/** A non-delivery notice waiting for its delivery line (which names the address it goes to). */
interface Bounce {
  t: number;
  line: string;
  /** Its queue id as logged (the key carries the host too). */
  qid: string;
  cause: string;
  mta: string;
}

/** Like keywordAt, on bytes: `keyword` at `at`, or after one short token (amavis mail_id). */
function keywordAtBytes(buf: Buffer, at: number, end: number, keyword: string): number {
  if (bytesEqual(buf, at, keyword)) return at;
  let sp = at;
  while (sp < end && sp < at + 21 && buf[sp] !== 32) sp++;
  return buf[sp] === 32 && bytesEqual(buf, sp + 1, keyword) ? sp + 1 : -1;
}

/** Deliveries through the content filter: what old amavis logs (no Queue-ID) need to join queue ids. */
const HOP_MARKERS = [new RareWords(['relay=127.0.0.1', 'relay=localhost', 'relay=[127.0.0.1]'])];
const ANY_DELIVERY = new Needle(': to=<');
/** amavis continuation lines `(id) ...…`, read while the start of a split line waits for them. */
const CONTINUATION = new Needle(') ...');
/** Beyond this many bounces waiting for their delivery line, every delivery line is read. */
const BOUNCE_MARKERS = 8;

/** Why a message bounced, from its failed delivery line (dsn 5.x.x). */
export function bounceCause(line: string, lmtp: boolean): string {
  if (line.includes('dsn=5.2.2')) return 'mailbox over quota (552 5.2.2)';
  if (lmtp || line.includes(':7025,')) return 'unknown or unavailable local recipient';
  return 'rejected by remote servers during SMTP (5xx)';
}
export const EXPIRED_CAUSE = 'expired in the queue (status=expired, returned to sender)';

function isQidByte(b: number | undefined): boolean {
  return b !== undefined && ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122));
}

/**
 * Reads log lines in order and turns them into events: outbound messages (with the account
 * behind them), deferrals, backscatter and quota hits. It is handed only the lines that hold one
 * of its markers ({@link finder}); of those, it decodes only the ones that matter.
 */
export class Correlator implements MarkerSource {
  readonly assembler: MessageAssembler;
  /**
   * Every line `line` acts on holds one of these markers; no other line is looked at.
   * `WD from ` stands for `FWD from ` (W is rarer than F): once amavis has shown Passed lines, only
   * the FWD lines that are the first part of a split line (`…...`) are read. `_` finds the smtpd `client=` lines
   * that go on after the client (`sasl_method=`, `sasl_username=`, `orig_queue_id=`, …) and quota_match.
   */
  readonly finder = new MarkedLines(
    [
      new Needle('Passed '),
      new NarrowingNeedle('WD from ', 46 /* . */, () => this.assembler.sawPassed),
      new AnchoredWords(95, ['sasl_', 'orig_', 'quota_match']),
      new RareWords(['status=deferred', 'non-delivery notification', 'status=bounced (', ', returned to sender', 'postfix/postsuper[']),
    ],
    this,
  );
  private bounceVersion = 0;
  private readonly view: LineView = { program: Program.Other, msgStart: 0 };
  private readonly bounces = new AgingMap<Bounce>(3600_000, 20_000);
  /** Why queue ids bounced (their failed delivery or expiry), until their notice is logged. */
  private readonly causes = new AgingMap<{ t: number; cause: string }>(3600_000, 20_000);
  private hosts: string[] = [];
  /** The current line's host: its name, and the suffix its ids get ('' for the first host). */
  private mta = '';
  private suffix = '';
  private hostBytes = Buffer.alloc(0);
  /** amavis lines split in parts (`…...` then `(id) ...…`), by amavis id. */
  private readonly partial = new AgingMap<{ t: number; text: string; rest: number }>(SETTLE_MS, 1000);
  private now = 0;
  private lastSettle = 0;
  years!: YearTracker;

  constructor(
    private readonly own: OwnAddresses,
    private readonly sink: EventSink,
  ) {
    this.assembler = new MessageAssembler(own, sink);
  }

  get markerVersion(): number {
    return this.bounceVersion * 4 + (this.assembler.needsHopLinks ? 1 : 0) + (this.partial.size > 0 ? 2 : 0);
  }

  /** The delivery lines of bounces seen (backscatter), content-filter hops and amavis continuations while they are needed. */
  dynamicMarkers(): Marker[] {
    const markers: Marker[] = this.assembler.needsHopLinks ? [...HOP_MARKERS] : [];
    if (this.partial.size > 0) markers.push(CONTINUATION);
    if (this.bounces.size > BOUNCE_MARKERS) markers.push(ANY_DELIVERY);
    else for (const b of this.bounces.map.values()) markers.push(new Needle(`${b.qid}: to=<`));
    return markers;
  }

  /** Log time of the latest line that had a readable date (epoch ms). */
  get logTime(): number {
    return this.now;
  }

  readonly line = (buf: Buffer, start: number, end: number): void => {
    if (buf[start] === 91 /* [ */) {
      if (findIn(buf, start, end, 'reason=quota_match') >= 0) this.quota(latin1(buf, start, end), 1);
      return;
    }
    const view = this.view;
    locate(buf, start, end, view);
    if (view.program === Program.Other) return;
    this.host(buf, view.hostStart!, view.hostEnd!);
    let ms = view.msgStart;
    let times = 1;
    if (buf[ms] === 109 && bytesEqual(buf, ms, 'message repeated ')) {
      // rsyslog: `message repeated 3 times: [ original message]`
      const text = latin1(buf, ms, Math.min(end, ms + 40));
      const m = /^message repeated (\d+) times: \[ ?/.exec(text);
      if (!m) return;
      times = Number(m[1]);
      ms += m[0].length;
      if (buf[end - 1] === 93) end -= 1;
    }
    switch (view.program) {
      case Program.Smtpd:
        return this.smtpd(buf, start, ms, end);
      case Program.Smtp:
        return this.delivery(buf, start, ms, end, times);
      case Program.Bounce:
        return this.bounce(buf, start, ms, end);
      case Program.Amavis:
        if (buf[ms] === 40) this.amavis(buf, start, ms, end);
        return;
      case Program.Cbpolicyd:
        if (findIn(buf, ms, end, 'quota_match') >= 0) this.quota(latin1(buf, start, end), times);
        return;
      case Program.Qmgr:
        return this.expired(buf, start, ms, end);
      case Program.Postsuper:
        if (bytesEqual(buf, ms, 'Deleted: ')) {
          const line = latin1(buf, start, end);
          this.sink.queueDeleted(this.time(line), line);
        }
        return;
    }
  };

  /** Which server wrote the line: on a logger host, ids are only unique per server. */
  private host(buf: Buffer, from: number, to: number): void {
    const known = this.hostBytes;
    if (known.length === to - from) {
      let same = true;
      for (let i = 0; i < known.length; i++) {
        if (known[i] !== buf[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return;
    }
    this.hostBytes = Buffer.from(buf.subarray(from, to));
    this.mta = latin1(buf, from, to);
    const short = this.mta.toLowerCase().split('.')[0]!;
    let i = this.hosts.indexOf(short);
    if (i < 0) {
      i = this.hosts.length;
      if (i < 1000) this.hosts.push(short);
    }
    this.suffix = i === 0 ? '' : `@${i}`;
  }

  /** The host-qualified key of a queue id or amavis id. */
  private key(id: string): string {
    return this.suffix === '' ? id : id + this.suffix;
  }

  /** qmgr `QID: from=<s>, status=expired, returned to sender`: the notice that follows goes to s. */
  private expired(buf: Buffer, start: number, ms: number, end: number): void {
    const q = this.qidEnd(buf, ms, end);
    if (q < 0 || findIn(buf, q, end, 'status=expired') < 0) return;
    this.causes.set(this.key(latin1(buf, ms, q)), { t: this.timeAt(buf, start), cause: EXPIRED_CAUSE });
  }

  /**
   * End of input. With `all` (triage) every message seen so far is complete; otherwise a message
   * still waiting for the line that names its login is kept (in the state) for the next run.
   */
  finish(all: boolean): void {
    this.assembler.settle(this.now, all, true);
  }

  private time(head: string): number {
    return this.advance(parseTimestamp(head, this.years));
  }

  private timeAt(buf: Buffer, start: number): number {
    return this.advance(timestampAt(buf, start, this.years));
  }

  private advance(t: number): number {
    if (Number.isFinite(t)) {
      if (t > this.now) this.now = t;
      if (this.now - this.lastSettle > 10_000) {
        this.lastSettle = this.now;
        this.assembler.settle(this.now);
        this.partial.expire(this.now);
      }
      return t;
    }
    return this.now;
  }

  /** Queue id at `ms` followed by `: `; returns the end of the id or -1. */
  private qidEnd(buf: Buffer, ms: number, end: number): number {
    let q = ms;
    while (q < end && isQidByte(buf[q])) q++;
    return q > ms && buf[q] === 58 && buf[q + 1] === 32 ? q : -1;
  }

  private smtpd(buf: Buffer, start: number, ms: number, end: number): void {
    const q = this.qidEnd(buf, ms, end);
    if (q < 0 || !bytesEqual(buf, q + 2, 'client=')) return;
    let c = q + 9;
    while (c < end && buf[c] !== 93) c++;
    if (buf[c + 1] !== 44) return; // nothing after client=name[ip]: no login, no XFORWARD
    const client = smtpdClientAt(buf, q + 2, end);
    if (!client) return;
    const qid = latin1(buf, ms, q);
    const t = this.timeAt(buf, start);
    if (client.saslUsername) this.assembler.login(this.key(qid), t, client.saslUsername, client.ip);
    if (client.origQueueId) this.assembler.link(this.key(qid), this.key(client.origQueueId), t);
  }

  private delivery(buf: Buffer, start: number, ms: number, end: number, times: number): void {
    const q = this.qidEnd(buf, ms, end);
    if (q < 0 || !bytesEqual(buf, q + 2, 'to=<')) return;
    const bounce = this.bounces.size > 0 ? this.key(latin1(buf, ms, q)) : undefined;
    const notice = bounce === undefined ? undefined : this.bounces.get(bounce);
    if (notice) {
      this.bounces.delete(bounce!);
      this.bounceVersion++;
      const d = parseDelivery(latin1(buf, q + 2, end));
      if (d && !this.own.isOurs(d.to) && !this.assembler.mailed.has(d.to)) this.sink.backscatter(notice.t, d.to, notice.line, times, notice.cause, notice.mta);
    }
    // to=<r>, [orig_to=<o>,] relay=…, delay=…, delays=…, dsn=…, status=…
    let p = q + 6;
    while (p < end && buf[p] !== 62) p++;
    if (bytesEqual(buf, p + 1, ', orig_to=<')) {
      p += 12;
      while (p < end && buf[p] !== 62) p++;
    }
    if (!bytesEqual(buf, p + 1, ', relay=')) return;
    const r = p + 3;
    // The content-filter hop names the re-injected queue id; only old amavis logs (no Queue-ID) need it.
    if (this.assembler.needsHopLinks && (bytesEqual(buf, r + 6, '127.0.0.1') || bytesEqual(buf, r + 6, 'localhost') || bytesEqual(buf, r + 6, '[127.0.0.1]'))) {
      const text = latin1(buf, q + 2, end);
      const d = parseDelivery(text);
      if (d?.queuedAs) this.assembler.link(this.key(d.queuedAs), this.key(latin1(buf, ms, q)), this.timeAt(buf, start));
      if (d?.status !== 'deferred') return;
    }
    // dsn=4.x.x: a temporary failure
    let d = r + 6;
    while (d < end - 5 && !(buf[d] === 100 && buf[d + 1] === 115 && buf[d + 2] === 110 && buf[d + 3] === 61)) d++;
    if (buf[d + 4] === 53 /* 5 */) {
      if (findIn(buf, d, Math.min(end, d + 40), 'status=bounced') < 0) return;
      const line = latin1(buf, start, end);
      this.causes.set(this.key(latin1(buf, ms, q)), { t: this.time(line), cause: bounceCause(line, line.includes('/lmtp[')) });
      return;
    }
    if (buf[d + 4] !== 52 || findIn(buf, d, Math.min(end, d + 40), 'status=deferred') < 0) return;
    const line = latin1(buf, start, end);
    this.sink.deferral(this.time(line), line, times, deferralCause(line), this.key(latin1(buf, ms, q)), this.mta);
  }

  private bounce(buf: Buffer, start: number, ms: number, end: number): void {
    const q = this.qidEnd(buf, ms, end);
    if (q < 0 || buf[q + 2] !== 115 /* s */) return;
    const second = parseBounce(latin1(buf, q + 2, end));
    if (second) {
      const line = latin1(buf, start, end);
      const original = this.key(latin1(buf, ms, q));
      // Complete the messages already joined to their queue ids (old amavis waits for more): a bounce to a
      // forged sender of our own relaying must find that sender already counted.
      this.assembler.settle(this.now, false, true);
      const cause = this.causes.get(original)?.cause ?? 'bounced';
      this.causes.delete(original);
      this.bounces.set(this.key(second), { t: this.time(line), line, qid: second, cause, mta: this.mta });
      this.bounceVersion++;
    }
  }

  private amavis(buf: Buffer, start: number, ms: number, end: number): void {
    let close = ms + 1;
    while (close < end && close < ms + 40 && buf[close] !== 41) close++;
    if (buf[close] !== 41 || buf[close + 1] !== 32) return;
    const rest = close + 2;
    if (bytesEqual(buf, rest, '...')) {
      const id = this.key(latin1(buf, ms + 1, close));
      const before = this.partial.get(id);
      if (!before) return; // its start was not read (or not needed)
      return this.amavisText(id, this.timeAt(buf, start), before.text + latin1(buf, rest + 3, end), before.rest);
    }
    const fwd = keywordAtBytes(buf, rest, end, 'FWD from ');
    // Once amavis has shown Passed lines, FWD lines add nothing (Passed repeats sender, recipients and
    // queue ids) but the start of a split one; the finder no longer hands out the others.
    if (fwd >= 0 && this.assembler.sawPassed && buf[end - 1] !== 46) return;
    if (fwd < 0) {
      const passed = keywordAtBytes(buf, rest, end, 'Passed ');
      if (passed < 0) return;
      // Inbound mail (not the ORIGINATING policy bank) is never relaying: skip it undecoded.
      const lt = findIn(buf, passed, Math.min(end, passed + 200), ' <');
      if (lt > 0 && findIn(buf, passed, lt, 'ORIGINATING') < 0 && !bytesEqual(buf, end - 3, '...')) return;
    }
    const line = latin1(buf, start, end);
    this.amavisText(this.key(line.slice(ms + 1 - start, close - start)), this.timeAt(buf, start), line, rest - start);
  }

  /** An amavis line as text, possibly put together from split lines; `rest` is where the text after `(id) ` starts. */
  private amavisText(id: string, t: number, line: string, rest: number): void {
    if (line.endsWith('...')) {
      this.partial.set(id, { t, text: line.slice(0, -3), rest });
      return;
    }
    if (this.partial.size > 0) this.partial.delete(id);
    const fwd = keywordAt(line, rest, 'FWD from ');
    const record = fwd >= 0 ? parseFwd(id, line, fwd) : parsePassed(id, line, keywordAt(line, rest, 'Passed ') + 7);
    if (!record) return;
    if (this.suffix !== '') {
      if (record.queueId) record.queueId = this.key(record.queueId);
      record.queuedAs = record.queuedAs.map((q) => this.key(q));
    }
    this.assembler.amavis(record, t, line, this.mta);
  }

  private quota(line: string, times: number): void {
    const hit = parseQuotaMatch(line);
    if (hit) this.sink.quota({ time: this.time(line), track: hit.track, account: hit.account, line }, times);
  }

  save(): CorrelatorState {
    return { assembler: this.assembler.save(this.now), bounces: this.bounces.entries(), partial: this.partial.entries(), hosts: this.hosts };
  }

  load(state: CorrelatorState): void {
    this.assembler.load(state.assembler);
    this.bounces.load(state.bounces.filter(([, b]) => typeof b.qid === 'string'));
    this.hosts = state.hosts ?? [];
    this.bounceVersion++;
    this.partial.load(state.partial);
  }
}
