/**
 * Which queued messages did an account send? Its own address as envelope sender says so for
 * webmail and honest clients, but spam relayed through a stolen login carries forged senders
 * (`x@yahoo.com`), and after amavis the queued copy has a new queue id and no SASL login. The mail
 * log links them: `QID: client=…, sasl_username=ACCOUNT`, then the content-filter hop
 * `QID: to=<…>, … status=sent (… queued as QID2)` (or amavis' `Queue-ID: QID, … queued_as: QID2`),
 * then bounces `QID2: sender non-delivery notification: QID3`. The queue manager's `QID: from=<…>`
 * tells which logins sent with someone else's address. One pass over the log since a time.
 */
import type { Host } from '../host/host.js';
import { LineSplitter } from '../monitor/line-splitter.js';
import { feedFile, logFamily } from '../monitor/log-files.js';
import { parseBounce, parseDelivery, parseSmtpdClient } from '../monitor/postfix-lines.js';
import { findIn, latin1, locate, Program, type LineView } from '../monitor/syslog-line.js';
import { timestampAt, YearTracker } from '../monitor/timestamp.js';

export interface AccountTrace {
  /** Queue ids descending from the account's logins (its submissions, their content-filter copies, their bounces). */
  ids: Set<string>;
  /** Messages submitted with the account's login. */
  logins: number;
  /** Epoch ms of the first and last such submission. */
  first?: number;
  last?: number;
  /** Of those, sent with an envelope sender that is none of the account's addresses (relayed spam), and when. */
  forged: number;
  forgedFirst?: number;
  forgedLast?: number;
  /** Host paths of the log files read. */
  files: string[];
}

const QID_LINE = /^([0-9A-Za-z]+): (.*)$/;
const AMAVIS_HOP = /Queue-ID: ([0-9A-Za-z]+),.*queued_as: ([0-9A-Za-z]+)/;
const QMGR_FROM = /^([0-9A-Za-z]+): from=<([^>]*)>/;

/** The message of a `postfix/qmgr[pid]: …` line (the monitor's line locator skips them), or undefined. */
function qmgrMessage(buf: Buffer, start: number, end: number): string | undefined {
  const tag = findIn(buf, start, Math.min(end, start + 80), ' postfix/qmgr[');
  if (tag < 0) return undefined;
  const colon = findIn(buf, tag, Math.min(end, tag + 40), ']: ');
  return colon < 0 ? undefined : latin1(buf, colon + 3, end);
}

/**
 * Reads the mail log (rotated files included) from `since` on, in one pass. `logins` maps each
 * lower-case SASL login (an address or alias) to the account it belongs to; one trace per account.
 */
export async function traceAccounts(host: Host, mailLog: string, logins: ReadonlyMap<string, string>, since: number): Promise<Map<string, AccountTrace>> {
  const traces = new Map<string, AccountTrace>();
  for (const account of new Set(logins.values())) traces.set(account, { ids: new Set(), logins: 0, forged: 0, files: [] });
  /** Logins whose queue-manager line (the envelope sender) is still to come. */
  const pending = new Map<string, { account: string; t: number }>();
  /** Queue id → the trace it belongs to. */
  const owner = new Map<string, AccountTrace>();
  const own = (qid: string, trace: AccountTrace) => {
    owner.set(qid, trace);
    trace.ids.add(qid);
  };
  const view: LineView = { program: Program.Other, msgStart: 0 };
  let years = new YearTracker(new Date());
  const onLine = (buf: Buffer, start: number, end: number) => {
    locate(buf, start, end, view);
    if ((view.program === Program.Qmgr || view.program === Program.Other) && pending.size > 0) {
      const from = QMGR_FROM.exec(qmgrMessage(buf, start, end) ?? '');
      const login = from ? pending.get(from[1]!) : undefined;
      if (!login) return;
      pending.delete(from![1]!);
      if (logins.get(from![2]!.toLowerCase()) === login.account) return;
      const trace = traces.get(login.account)!;
      trace.forged++;
      if (!Number.isNaN(login.t)) {
        trace.forgedFirst = Math.min(trace.forgedFirst ?? login.t, login.t);
        trace.forgedLast = Math.max(trace.forgedLast ?? login.t, login.t);
      }
      return;
    }
    if (view.program === Program.Other || view.program === Program.Cbpolicyd || view.program === Program.Qmgr) return;
    const text = latin1(buf, view.msgStart, end);
    if (view.program === Program.Amavis) {
      const hop = text.includes('queued_as:') ? AMAVIS_HOP.exec(text) : null;
      const from = hop ? owner.get(hop[1]!) : undefined;
      if (from) own(hop![2]!, from);
      return;
    }
    const m = QID_LINE.exec(text);
    if (!m) return;
    const [, qid, rest] = m as unknown as [string, string, string];
    if (view.program === Program.Smtpd) {
      const client = parseSmtpdClient(rest);
      if (!client) return;
      const before = client.origQueueId ? owner.get(client.origQueueId) : undefined;
      if (before) own(qid, before);
      const account = client.saslUsername ? logins.get(client.saslUsername) : undefined;
      const trace = account ? traces.get(account) : undefined;
      if (!trace) return;
      own(qid, trace);
      trace.logins++;
      const t = timestampAt(buf, start, years);
      if (pending.size < 100_000) pending.set(qid, { account: account!, t });
      if (!Number.isNaN(t)) {
        trace.first = Math.min(trace.first ?? t, t);
        trace.last = Math.max(trace.last ?? t, t);
      }
      return;
    }
    const trace = owner.get(qid);
    if (!trace) return;
    const next = view.program === Program.Bounce ? parseBounce(rest) : parseDelivery(rest)?.queuedAs;
    if (next) own(next, trace);
  };
  const splitter = new LineSplitter(onLine, 1 << 20);
  const files: string[] = [];
  for (const file of await logFamily(host.resolve(mailLog))) {
    if (file.mtime.getTime() < since) continue;
    years = new YearTracker(file.mtime);
    splitter.reset();
    await feedFile(file, 0, splitter);
    files.push(file.hostPath);
  }
  for (const trace of traces.values()) trace.files = files;
  return traces;
}

/** The trace of one account, whose SASL logins are `logins` (its address and aliases). */
export async function traceAccountMail(host: Host, mailLog: string, account: string, logins: readonly string[], since: number): Promise<AccountTrace> {
  const map = new Map(logins.map((l) => [l.toLowerCase(), account]));
  const traces = await traceAccounts(host, mailLog, map, since);
  return traces.get(account)!;
}
