/** Builders of real-looking Zimbra 8.8 zimbra.log lines for the detector tests (times: Date or epoch ms, local). */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function stamp(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

let counter = 0x1a2b3;
/** A fresh Postfix queue id. */
export function qid(): string {
  counter += 7919;
  return `${(counter % 0xfffff).toString(16).toUpperCase().padStart(5, '0')}C0${(counter % 251).toString(16).toUpperCase().padStart(2, '0')}`;
}

export interface Sent {
  t: number;
  account: string;
  sender?: string;
  ip: string;
  to: string[];
  host?: string;
  /** Queue ids: submission and re-injected (fresh ones when not given). */
  q1?: string;
  q2?: string;
}

/** A message submitted with SMTP AUTH, through amavis (Passed with Queue-ID), delivered. Returns [lines, q2]. */
export function sent(m: Sent): { lines: string[]; q2: string } {
  const host = m.host ?? 'mail';
  const q1 = m.q1 ?? qid();
  const q2 = m.q2 ?? qid();
  const sender = m.sender ?? m.account;
  const rcpts = m.to.map((r) => `<${r}>`).join(',');
  const at = stamp(m.t);
  const lines = [
    `${at} ${host} postfix/submission/smtpd[3345]: ${q1}: client=unknown[${m.ip}], sasl_method=LOGIN, sasl_username=${m.account}`,
    `${at} ${host} postfix/qmgr[1200]: ${q1}: from=<${sender}>, size=2345, nrcpt=${m.to.length} (queue active)`,
    `${at} ${host} postfix/smtpd[3410]: ${q2}: client=localhost[127.0.0.1]`,
    `${at} ${host} amavis[2526]: (02526-${String(counter % 97).padStart(2, '0')}) Passed CLEAN {RelayedOutbound}, ORIGINATING LOCAL [127.0.0.1]:56930 [${m.ip}] <${sender}> -> ${rcpts}, Queue-ID: ${q1}, Message-ID: <${q1}@x>, mail_id: ${q1}abc, Hits: -1, size: 2345, queued_as: ${q2}, 100 ms`,
  ];
  return { lines, q2 };
}

/** A remote server's 5xx during the SMTP session, then the bounce daemon's notice and its delivery to the sender. */
export function rejectedAndBounced(t: number, q2: string, rcpt: string, sender: string, host = 'mail'): string[] {
  const dsnQ = qid();
  const at = stamp(t);
  return [
    `${at} ${host} postfix/smtp[5001]: ${q2}: to=<${rcpt}>, relay=hotmail-com.olc.protection.outlook.com[52.101.8.36]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.7.1, status=bounced (host hotmail-com.olc.protection.outlook.com[52.101.8.36] said: 550 5.7.1 Unfortunately, messages from [198.51.100.7] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). (in reply to MAIL FROM command))`,
    `${at} ${host} postfix/cleanup[5002]: ${dsnQ}: message-id=<${t}.${dsnQ}@${host}.example.com>`,
    `${at} ${host} postfix/bounce[5003]: ${q2}: sender non-delivery notification: ${dsnQ}`,
    `${at} ${host} postfix/qmgr[1200]: ${dsnQ}: from=<>, size=4567, nrcpt=1 (queue active)`,
    `${at} ${host} postfix/smtp[5004]: ${dsnQ}: to=<${sender}>, relay=mta7.am0.yahoodns.net[67.195.204.72]:25, delay=0.8, delays=0/0/0.3/0.5, dsn=2.0.0, status=sent (250 ok dirdel)`,
  ];
}

/** qmgr gives up after maximal_queue_lifetime: the notice goes to the (forged) sender. */
export function expiredAndBounced(t: number, q2: string, sender: string, host = 'mail'): string[] {
  const dsnQ = qid();
  const at = stamp(t);
  return [
    `${at} ${host} postfix/qmgr[1200]: ${q2}: from=<${sender}>, status=expired, returned to sender`,
    `${at} ${host} postfix/bounce[5003]: ${q2}: sender non-delivery notification: ${dsnQ}`,
    `${at} ${host} postfix/smtp[5004]: ${dsnQ}: to=<${sender}>, relay=mx1.mail.example-isp.net[203.0.113.25]:25, delay=0.8, delays=0/0/0.3/0.5, dsn=2.0.0, status=sent (250 ok)`,
  ];
}

/** Inbound spam with a forged sender to an over-quota mailbox: LMTP 552 5.2.2, then the notice to the forged sender. */
export function overQuotaBounce(t: number, local: string, forged: string, host = 'mail'): string[] {
  const q = qid();
  const dsnQ = qid();
  const at = stamp(t);
  return [
    `${at} ${host} postfix/lmtp[6001]: ${q}: to=<${local}>, relay=${host}.example.com[10.0.0.5]:7025, delay=0.3, delays=0.1/0/0/0.2, dsn=5.2.2, status=bounced (host ${host}.example.com[10.0.0.5] said: 552 5.2.2 Over quota (in reply to end of DATA command))`,
    `${at} ${host} postfix/bounce[6002]: ${q}: sender non-delivery notification: ${dsnQ}`,
    `${at} ${host} postfix/smtp[6003]: ${dsnQ}: to=<${forged}>, relay=mx.forged.example[198.51.100.30]:25, delay=0.5, delays=0/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)`,
  ];
}

/** A deferred delivery with the remote's reply. */
export function deferred(t: number, q: string, rcpt: string, reply: string, host = 'mail'): string {
  return `${stamp(t)} ${host} postfix/smtp[7001]: ${q}: to=<${rcpt}>, relay=mx.remote.example[192.0.2.200]:25, delay=3, delays=0.1/0/1.5/1.4, dsn=4.7.0, status=deferred (${reply})`;
}

export const TSS04 = 'host mta5.am0.yahoodns.net[98.136.96.91] said: 421 4.7.0 [TSS04] Messages from 198.51.100.7 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)';
export const GMAIL_4728 = 'host gmail-smtp-in.l.google.com[142.250.102.27] said: 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. 421 4.7.28 To protect our users from spam, mail sent from your IP address has been temporarily rate limited. (in reply to end of DATA command)';
export function dnsFailure(domain: string): string {
  return `Host or domain name not found. Name service error for name=${domain} type=MX: Host not found, try again`;
}

/** A delivery deferred because the resolver could not look up the recipient's domain (Postfix 2.3+: dsn=4.4.3, no relay). */
export function dnsDeferred(t: number, q: string, rcpt: string, host = 'mail'): string {
  return `${stamp(t)} ${host} postfix/smtp[7002]: ${q}: to=<${rcpt}>, relay=none, delay=0.1, delays=0.1/0/0/0, dsn=4.4.3, status=deferred (${dnsFailure(rcpt.slice(rcpt.indexOf('@') + 1))})`;
}

/** A delivery deferred because the recipient's server did not answer. */
export function timedOut(t: number, q: string, rcpt: string, host = 'mail'): string {
  const domain = rcpt.slice(rcpt.indexOf('@') + 1);
  return `${stamp(t)} ${host} postfix/smtp[7004]: ${q}: to=<${rcpt}>, relay=none, delay=31, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx.${domain}[192.0.2.9]:25: Connection timed out)`;
}

export const GREYLISTED = 'host mx.slow.example[192.0.2.77] said: 450 4.7.1 <a@slow.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/slow.example.html (in reply to RCPT TO command)';

export const MIN = 60_000;
export const HOUR = 3600_000;
