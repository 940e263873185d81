import { createWriteStream, type WriteStream } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { once } from 'node:events';
import { message, noise } from './flows.js';
import { schedule, type Incident, type Scheduled } from './incidents.js';
import { Random } from './random.js';
import { Clock, type TimestampFormat } from './syslog-format.js';
import { ipOfAccount, makeAccounts, outsideAddress, type World } from './world.js';

export type { Incident } from './incidents.js';

export interface LogGenOptions {
  /** Same seed, same log. */
  seed?: number;
  start: Date;
  /** Length of the simulated span (default 24 h). */
  hours?: number;
  /** Stop once the mail log has this many bytes (the benchmark's 200 MB). */
  targetBytes?: number;
  /** Host field of each line (default `mail`). */
  host?: string;
  domains: string[];
  accounts?: string[];
  /** Accounts to make up when `accounts` is not given (default 40). */
  accountCount?: number;
  /** Ordinary messages per hour (default 120). */
  messagesPerHour?: number;
  timestampFormat?: TimestampFormat;
  amavisStyle?: 'classic' | 'mail-id';
  incidents?: Incident[];
  /** Mix in what real logs hold after crashes and with rsyslog: repeats, #012, NUL runs, bad bytes, escapes. */
  quirks?: boolean;
}

export interface LogGenSummary {
  mailBytes: number;
  policydBytes: number;
  messages: number;
  accounts: string[];
  end: Date;
}

interface Line {
  t: number;
  text: string;
}

/**
 * Generates a zimbra.log (and cbpolicyd.log) of ordinary traffic with the incidents mixed in,
 * streaming: `emit` receives ordered text chunks of about 1 MB and may return a promise (backpressure).
 */
export async function generateLogs(
  options: LogGenOptions,
  emit: (target: 'mail' | 'policyd', text: string) => void | Promise<void>,
): Promise<LogGenSummary> {
  const rnd = new Random(options.seed ?? 1);
  const host = options.host ?? 'mail';
  const domains = options.domains.map((d) => d.toLowerCase());
  const accounts = options.accounts ?? makeAccounts(rnd, domains, options.accountCount ?? 40);
  const clock = new Clock(options.timestampFormat ?? 'classic');
  const start = options.start.getTime();
  const end = start + (options.hours ?? 24) * 3600_000;
  const pending: Line[] = [];
  let policyd = '';
  let qidCounter = rnd.int(0, 1 << 20);
  let nextPid = rnd.int(1000, 20000);
  const children = Array.from({ length: 10 }, () => ({ pid: (nextPid += rnd.int(1, 40)), seq: 0 }));
  const pids = new Map<string, number>();
  const world: World = {
    rnd,
    host,
    fqdn: `${host}.${domains[0]}`,
    serverIp: '10.0.0.5',
    domains,
    accounts,
    amavisStyle: options.amavisStyle ?? 'mail-id',
    mail: (t, program, text) => pending.push({ t, text: `${program}[${program === 'amavis' ? Number(text.slice(1, 6)) || world.pid(program) : world.pid(program)}]: ${text}` }),
    policyd: (_t, text) => {
      policyd += `${text}\n`;
    },
    qid: () => {
      qidCounter = (qidCounter + rnd.int(1, 4000)) % 0xfffffff;
      return qidCounter.toString(16).toUpperCase().padStart(7, '0') + rnd.hex(4);
    },
    amavisId: () => {
      // amavisd children serve a few dozen messages each, then a new child (pid) takes over
      const child = rnd.int(0, children.length - 1);
      const c = children[child]!;
      if (c.seq >= 40) children[child] = { pid: (nextPid = nextPid >= 32000 ? 1000 : nextPid + rnd.int(1, 40)), seq: 0 };
      const cur = children[child]!;
      cur.seq += 1;
      return `${String(cur.pid).padStart(5, '0')}-${String(cur.seq).padStart(2, '0')}`;
    },
    pid: (program) => {
      let pid = pids.get(program);
      if (pid === undefined || rnd.chance(0.002)) {
        pid = rnd.int(1000, 32000);
        pids.set(program, pid);
      }
      return pid;
    },
  };
  const scheduled: Scheduled[] = (options.incidents ?? []).flatMap((i) => schedule(world, start, i)).sort((a, b) => a.t - b.t);
  let next = 0;
  const meanGap = 3600_000 / (options.messagesPerHour ?? 120);
  const summary: LogGenSummary = { mailBytes: 0, policydBytes: 0, messages: 0, accounts, end: new Date(start) };
  let chunk = '';
  const write = (line: Line) => {
    chunk += formatLine(clock, host, line, rnd, options.quirks ?? false);
  };
  const flush = async (upTo: number) => {
    pending.sort((a, b) => a.t - b.t);
    let i = 0;
    while (i < pending.length && pending[i]!.t <= upTo) write(pending[i++]!);
    pending.splice(0, i);
    if (chunk.length >= 1 << 20 || upTo === Number.POSITIVE_INFINITY) {
      summary.mailBytes += chunk.length;
      await emit('mail', chunk);
      chunk = '';
    }
    if (policyd.length >= 1 << 16 || (upTo === Number.POSITIVE_INFINITY && policyd)) {
      summary.policydBytes += policyd.length;
      await emit('policyd', policyd);
      policyd = '';
    }
  };
  let t = start;
  while (t < end && (options.targetBytes === undefined || summary.mailBytes + chunk.length < options.targetBytes)) {
    t += rnd.wait(meanGap);
    while (next < scheduled.length && scheduled[next]!.t <= t) {
      scheduled[next]!.run(world, scheduled[next]!.t);
      next++;
    }
    ordinary(world, t);
    summary.messages++;
    if (rnd.chance(0.7)) noise(world, t + rnd.int(0, 900));
    if (rnd.chance(0.7)) noise(world, t + rnd.int(0, 900));
    await flush(t - 40_000);
  }
  while (next < scheduled.length && options.targetBytes === undefined) scheduled[next]!.run(world, scheduled[next++]!.t);
  await flush(Number.POSITIVE_INFINITY);
  summary.end = new Date(t);
  return summary;
}

function ordinary(w: World, t: number): void {
  const r = w.rnd;
  const kind = r.next();
  const account = r.pick(w.accounts);
  if (kind < 0.45) {
    const to = r.chance(0.8) ? [account] : [account, r.pick(w.accounts)];
    message(w, t, { kind: 'inbound', sender: outsideAddress(r), recipients: [...new Set(to)], clientIp: r.ip() });
  } else if (kind < 0.8) {
    const to = Array.from({ length: r.int(1, 3) }, () => (r.chance(0.6) ? outsideAddress(r) : r.pick(w.accounts)));
    message(w, t, { kind: 'smtp-auth', account, sender: account, recipients: [...new Set(to)], clientIp: ipOfAccount(r, account) });
  } else {
    const to = Array.from({ length: r.int(1, 2) }, () => (r.chance(0.5) ? outsideAddress(r) : r.pick(w.accounts)));
    message(w, t, { kind: 'webmail', sender: account, recipients: [...new Set(to)], clientIp: w.serverIp });
  }
}

function formatLine(clock: Clock, host: string, line: Line, r: Random, quirks: boolean): string {
  let text = line.text;
  let extra = '';
  if (quirks) {
    if (text.includes('status=deferred')) {
      text = text.replace('Connection timed out', 'host said: 450-4.7.1 Try again later#012450 4.7.1 Greylisted');
      if (r.chance(0.3)) extra = `${clock.stamp(line.t + 1000)} ${host} ${text.slice(0, text.indexOf(': ') + 2)}message repeated 2 times: [ ${text.slice(text.indexOf(': ') + 2)}]\n`;
    } else if (r.chance(0.0005)) {
      // a crash: the line is cut, the rest of the block is NULs
      return `${clock.stamp(line.t)} ${host} ${text.slice(0, r.int(5, text.length - 1))}${'\0'.repeat(r.int(50, 4000))}${clock.stamp(line.t)} ${host} ${text}\n`;
    } else if (r.chance(0.0005)) {
      extra = `${clock.stamp(line.t)} ${host} postfix/cleanup[${r.int(1000, 30000)}]: ${r.hex(10)}: warning: header Subject: R\xe9sum\xe9 \xff\xfe de la r\xe9union from unknown[${r.ip()}]; \x1b[31mfrom=<x@y.z>\x1b[0m\n`;
    }
  }
  return `${clock.stamp(line.t)} ${host} ${text}\n${extra}`;
}

/** Writes the logs to files (latin1: the bytes are exactly the generated ones), with backpressure. */
export async function writeZimbraLog(options: LogGenOptions, paths: { mail: string; policyd?: string }): Promise<LogGenSummary> {
  const mail = createWriteStream(paths.mail, { flags: 'a' });
  const policyd = paths.policyd ? createWriteStream(paths.policyd, { flags: 'a' }) : undefined;
  const put = async (stream: WriteStream | undefined, text: string) => {
    if (stream && !stream.write(Buffer.from(text, 'latin1'))) await once(stream, 'drain');
  };
  const summary = await generateLogs(options, (target, text) => put(target === 'mail' ? mail : policyd, text));
  await new Promise<void>((resolve, reject) => mail.end((e?: Error | null) => (e ? reject(e) : resolve())));
  if (policyd) await new Promise<void>((resolve, reject) => policyd.end((e?: Error | null) => (e ? reject(e) : resolve())));
  // A log's modification time is its last line's: the monitor infers syslog years from it.
  for (const path of [paths.mail, paths.policyd]) if (path) await utimes(path, summary.end, summary.end);
  return summary;
}
