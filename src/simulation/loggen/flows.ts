import { amavisParts } from './syslog-format.js';
import { mxOf, type World } from './world.js';

/** How a message reaches the MTA. */
export interface Submission {
  /** 'mynetworks': a host of the trusted network (an ERP) submitting on port 25 without SASL. */
  kind: 'smtp-auth' | 'webmail' | 'mynetworks' | 'inbound';
  sender: string;
  recipients: string[];
  /** SMTP AUTH login (smtp-auth only). */
  account?: string;
  clientIp: string;
  /** Outside deliveries end deferred instead of sent. */
  defer?: boolean;
  /** Local recipients that do not exist: bounced (backscatter when the sender is forged). */
  unknownLocal?: boolean;
  /** Local recipients over quota: LMTP 552 5.2.2, bounced to the sender. */
  overQuota?: boolean;
  /** What becomes of each outside recipient (default: sent, or deferred with `defer`). */
  outcome?: (rcpt: string) => 'sent' | 'reject' | 'defer';
  /** The remote's reply to a deferred delivery (default: a connection timeout). */
  deferReply?: string;
  deferDsn?: string;
  /** Offsets (ms after the first attempt) of the retries of a deferred delivery, deferred again. */
  retries?: number[];
  /** After this long (ms), a deferred message expires and is returned to its sender. */
  expireAfter?: number;
  /** After this long (ms), a deferred delivery finally goes through (e.g. after `postqueue -f`). */
  sentAfter?: number;
  /** Message size in bytes (default: a few KB to 90 KB). */
  size?: number;
  /**
   * Distribution lists among the recipients, with their members: expanded by the virtual alias maps on the
   * re-injection after amavis, so amavis sees the list and each delivery names a member with `orig_to=<list>`.
   */
  lists?: Record<string, string[]>;
}

function delays(w: World): string {
  const r = w.rnd;
  return `delay=${(r.next() * 2).toFixed(1)}, delays=${(r.next() * 0.3).toFixed(2)}/0/${(r.next() * 0.5).toFixed(2)}/${(r.next()).toFixed(2)}`;
}

function isLocal(w: World, address: string): boolean {
  return w.domains.includes(address.slice(address.lastIndexOf('@') + 1));
}

/** Every line one message makes in zimbra.log, from the first connection to the last delivery. */
export function message(w: World, t: number, m: Submission): void {
  const r = w.rnd;
  const q1 = w.qid();
  const q2 = w.qid();
  const size = m.size ?? r.int(900, 90_000);
  const n = m.recipients.length;
  const deliveries = m.recipients.flatMap((a): { to: string; orig?: string }[] => m.lists?.[a]?.map((to) => ({ to, orig: a })) ?? [{ to: a }]);
  const msgId = m.kind === 'webmail' ? `<${r.int(1e5, 9e5)}.${r.int(1e5, 9e5)}.${r.int(1, 999_999)}.JavaMail.zimbra@${w.domains[0]}>` : `<${r.hex(16)}.${r.int(1000, 9999)}@${m.sender.slice(m.sender.indexOf('@') + 1) || 'localhost'}>`;
  const rdns = m.kind === 'inbound' ? `mail-${r.hex(4).toLowerCase()}.example.net` : m.kind === 'mynetworks' ? `erp.${w.domains[0]}` : 'unknown';
  const client = m.kind === 'webmail' ? `${w.fqdn}[${m.clientIp}]` : `${rdns}[${m.clientIp}]`;
  const smtpd = m.kind === 'smtp-auth' ? 'postfix/submission/smtpd' : 'postfix/smtpd';
  if (m.kind === 'inbound') {
    w.mail(t, 'postfix/postscreen', `CONNECT from [${m.clientIp}]:${r.int(1024, 65000)} to [${w.serverIp}]:25`);
    w.mail(t, 'postfix/postscreen', `PASS OLD [${m.clientIp}]:${r.int(1024, 65000)}`);
  }
  w.mail(t, smtpd, `connect from ${client}`);
  if (m.kind === 'smtp-auth') w.mail(t + 50, 'saslauthd', `zmauth: authenticating against elected url 'https://${w.fqdn}:7073/service/admin/soap/' ...`);
  const login = m.kind === 'smtp-auth' ? `, sasl_method=LOGIN, sasl_username=${m.account}` : '';
  w.mail(t + 120, smtpd, `${q1}: client=${client}${login}`);
  w.mail(t + 150, 'postfix/cleanup', `${q1}: message-id=${msgId}`);
  w.mail(t + 160, 'postfix/qmgr', `${q1}: from=<${m.sender}>, size=${size}, nrcpt=${n} (queue active)`);
  w.mail(t + 200, smtpd, `disconnect from ${client} ehlo=1 mail=1 rcpt=${n} data=1 quit=1 commands=${n + 4}`);
  // amavis re-injects on 10025: a second queue id
  w.mail(t + 400, 'postfix/smtpd', `connect from localhost[127.0.0.1]`);
  w.mail(t + 410, 'postfix/smtpd', `${q2}: client=localhost[127.0.0.1]`);
  w.mail(t + 420, 'postfix/cleanup', `${q2}: message-id=${msgId}`);
  w.mail(t + 430, 'postfix/qmgr', `${q2}: from=<${m.sender}>, size=${size + 600}, nrcpt=${deliveries.length} (queue active)`);
  w.mail(t + 440, 'postfix/smtpd', `disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=${n} data=1 quit=1 commands=${n + 4}`);
  const id = w.amavisId();
  const rcpts = m.recipients.map((a) => `<${a}>`).join(',');
  const mailId = r.token(12);
  const originating = m.kind === 'inbound' ? '' : m.kind === 'smtp-auth' ? 'ORIGINATING LOCAL ' : 'ORIGINATING/MYNETS LOCAL ';
  const relayed = m.kind === 'inbound' ? 'RelayedInbound' : m.recipients.every((a) => isLocal(w, a)) ? 'RelayedInternal' : 'RelayedOutbound';
  const fwd =
    w.amavisStyle === 'classic'
      ? `FWD from <${m.sender}> -> ${rcpts},BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${q2}`
      : `${mailId} FWD from <${m.sender}> -> ${rcpts}, BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10030): 250 2.0.0 Ok: queued as ${q2}`;
  for (const part of amavisParts(id, fwd)) w.mail(t + 450, 'amavis', part);
  const passed =
    w.amavisStyle === 'classic'
      ? `Passed CLEAN, ${originating}[127.0.0.1] [${m.clientIp}] <${m.sender}> -> ${rcpts}, Message-ID: ${msgId}, mail_id: ${mailId}, Hits: -${r.int(0, 3)}.${r.int(100, 999)}, size: ${size}, queued_as: ${q2}, ${r.int(200, 3000)} ms`
      : `Passed CLEAN {${relayed}}, ${originating}[127.0.0.1]:${r.int(30000, 60000)} [${m.clientIp}] <${m.sender}> -> ${rcpts}, Queue-ID: ${q1}, Message-ID: ${msgId}, mail_id: ${mailId}, Hits: -${r.int(0, 3)}.${r.int(100, 999)}, size: ${size}, queued_as: ${q2}, ${r.int(200, 3000)} ms`;
  for (const part of amavisParts(id, passed)) w.mail(t + 460, 'amavis', part);
  const hop = m.kind === 'inbound' ? 10024 : 10026;
  for (const a of m.recipients) {
    w.mail(t + 470, 'postfix/smtp', `${q1}: to=<${a}>, relay=127.0.0.1[127.0.0.1]:${hop}, ${delays(w)}, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${q2})`);
  }
  w.mail(t + 480, 'postfix/qmgr', `${q1}: removed`);
  let bounced = false;
  let deferredAny = false;
  for (const { to: a, orig } of deliveries) {
    const to = orig === undefined ? `to=<${a}>` : `to=<${a}>, orig_to=<${orig}>`;
    const domain = a.slice(a.lastIndexOf('@') + 1);
    const outcome = isLocal(w, a) ? 'local' : m.outcome ? m.outcome(a) : m.defer ? 'defer' : 'sent';
    if (isLocal(w, a)) {
      if (m.overQuota) {
        bounced = true;
        w.mail(t + 900, 'postfix/lmtp', `${q2}: ${to}, relay=${w.fqdn}[${w.serverIp}]:7025, ${delays(w)}, dsn=5.2.2, status=bounced (host ${w.fqdn}[${w.serverIp}] said: 552 5.2.2 Over quota (in reply to end of DATA command))`);
      } else if (m.unknownLocal) {
        bounced = true;
        w.mail(t + 900, 'postfix/lmtp', `${q2}: ${to}, relay=${w.fqdn}[${w.serverIp}]:7025, ${delays(w)}, dsn=5.1.1, status=bounced (host ${w.fqdn}[${w.serverIp}] said: 550 5.1.1 <${a}>: Recipient address rejected: ${w.fqdn} (in reply to RCPT TO command))`);
      } else {
        w.mail(t + 900, 'postfix/lmtp', `${q2}: ${to}, relay=${w.fqdn}[${w.serverIp}]:7025, ${delays(w)}, dsn=2.1.5, status=sent (250 2.1.5 Delivery OK)`);
      }
    } else if (outcome === 'reject') {
      bounced = true;
      const mx = mxOf(w.rnd, domain);
      w.mail(t + 1500, 'postfix/smtp', `${q2}: ${to}, relay=${mx}, ${delays(w)}, dsn=5.7.1, status=bounced (host ${mx.replace(/:25$/, '')} said: 550 5.7.1 Unfortunately, messages from [${w.serverIp}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). (in reply to MAIL FROM command))`);
    } else if (outcome === 'defer') {
      deferredAny = true;
      const reply = m.deferReply ?? `connect to ${mxOf(w.rnd, domain).replace(/:25$/, '')}:25: Connection timed out`;
      const relay = m.deferReply?.startsWith('Host or domain') ? 'none' : m.deferReply ? mxOf(w.rnd, domain) : 'none';
      for (const after of [30_900, ...(m.retries ?? [])]) {
        w.mail(t + after, 'postfix/smtp', `${q2}: ${to}, relay=${relay}, delay=${Math.round(after / 1000)}, delays=0.1/0/30/0, dsn=${m.deferDsn ?? '4.4.1'}, status=deferred (${reply})`);
      }
      if (m.sentAfter !== undefined) w.mail(t + m.sentAfter, 'postfix/smtp', `${q2}: ${to}, relay=${mxOf(w.rnd, domain)}, ${delays(w)}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${r.hex(10)})`);
    } else {
      w.mail(t + 1500, 'postfix/smtp', `${q2}: ${to}, relay=${mxOf(w.rnd, domain)}, ${delays(w)}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${r.hex(10)})`);
    }
  }
  if (bounced) bounce(w, t + 1550, q2, m.sender);
  if (deferredAny && m.expireAfter !== undefined) {
    w.mail(t + m.expireAfter, 'postfix/qmgr', `${q2}: from=<${m.sender}>, status=expired, returned to sender`);
    bounce(w, t + m.expireAfter + 5, q2, m.sender);
  }
  if (!deferredAny) w.mail(t + 1600, 'postfix/qmgr', `${q2}: removed`);
}

/** A non-delivery notification to `sender` (the bounce daemon, then its own trip through amavis). */
function bounce(w: World, t: number, qid: string, sender: string): void {
  const q3 = w.qid();
  const q4 = w.qid();
  const domain = sender.slice(sender.lastIndexOf('@') + 1);
  w.mail(t, 'postfix/cleanup', `${q3}: message-id=<${t}.${q3}@${w.fqdn}>`);
  w.mail(t + 5, 'postfix/bounce', `${qid}: sender non-delivery notification: ${q3}`);
  w.mail(t + 10, 'postfix/qmgr', `${q3}: from=<>, size=${w.rnd.int(3000, 9000)}, nrcpt=1 (queue active)`);
  const id = w.amavisId();
  w.mail(t + 300, 'amavis', `(${id}) FWD from <> -> <${sender}>,BODY=7BIT 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${q4}`);
  w.mail(t + 310, 'postfix/smtp', `${q3}: to=<${sender}>, relay=127.0.0.1[127.0.0.1]:10024, ${delays(w)}, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${q4})`);
  w.mail(t + 320, 'postfix/qmgr', `${q3}: removed`);
  w.mail(t + 800, 'postfix/smtp', `${q4}: to=<${sender}>, relay=${mxOf(w.rnd, domain)}, ${delays(w)}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${w.rnd.hex(10)})`);
}

/** Background lines of a Zimbra MTA that say nothing about relaying. */
export function noise(w: World, t: number): void {
  const r = w.rnd;
  const ip = r.ip();
  switch (r.int(0, 7)) {
    case 0:
      w.mail(t, 'postfix/smtpd', `NOQUEUE: reject: RCPT from unknown[${ip}]: 554 5.7.1 Service unavailable; Client host [${ip}] blocked using zen.spamhaus.org; from=<${r.token(8).toLowerCase()}@${r.token(6).toLowerCase()}.com> to=<${r.pick(w.accounts)}> proto=ESMTP helo=<${r.token(7).toLowerCase()}>`);
      return;
    case 1:
      w.mail(t, 'postfix/submission/smtpd', `warning: unknown[${ip}]: SASL LOGIN authentication failed: authentication failure`);
      w.mail(t + 10, 'postfix/submission/smtpd', `lost connection after AUTH from unknown[${ip}]`);
      return;
    case 2:
      w.mail(t, 'postfix/anvil', `statistics: max connection rate 1/60s for (smtp:${ip}) at ${new Date(t).toString().slice(4, 24)}`);
      return;
    case 3:
      w.mail(t, 'zimbramon', `${r.int(1000, 99999)}:info: zmstat mtaqueue.csv: ${r.int(0, 9)}, ${r.int(0, 9)}, 0, 0`);
      return;
    case 4:
      w.mail(t, 'postfix/postscreen', `CONNECT from [${ip}]:${r.int(1024, 65000)} to [${w.serverIp}]:25`);
      w.mail(t + 5, 'postfix/dnsblog', `addr ${ip} listed by domain zen.spamhaus.org as 127.0.0.${r.int(2, 11)}`);
      w.mail(t + 6000, 'postfix/postscreen', `DNSBL rank 3 for [${ip}]:${r.int(1024, 65000)}`);
      return;
    case 5:
      w.mail(t, 'saslauthd', `zmauth: authenticating against elected url 'https://${w.fqdn}:7073/service/admin/soap/' ...`);
      return;
    case 6:
      w.mail(t, 'postfix/smtpd', `lost connection after EHLO from unknown[${ip}]`);
      return;
    default:
      w.mail(t, 'slapd', `conn=${r.int(1000, 99999)} op=${r.int(1, 50)} SRCH base="" scope=2 deref=0 filter="(&(objectClass=zimbraAccount)(zimbraMailDeliveryAddress=${r.pick(w.accounts)}))"`);
  }
}
