/**
 * A simulated host in the middle of the recipe's incident: six hours of mail log ending with one
 * stolen SMTP AUTH login relaying spam with forged senders, and what such an incident leaves in
 * the queue — the spam that remote servers are throttling (deferred, some active), the bounces
 * of the spam to the forged senders, the account's own mail, and another user's mail that must
 * not be touched. Every queued message has its trail in the log (login, content-filter hop,
 * deferral, bounce), as Postfix would have written it.
 */
import { appendFileSync, utimesSync } from 'node:fs';
import * as path from 'node:path';
import { writeDemoLog } from '../loggen/demo-log.js';
import { Random } from '../loggen/random.js';
import { Clock } from '../loggen/syslog-format.js';
import { outsideAddress } from '../loggen/world.js';
import { newQueueId, seedQueue, type SeedMessage } from './queue/seed.js';

export interface IncidentOptions {
  /** The account whose password was stolen. */
  account: string;
  /** Spam messages still queued (default 12); every third one also left a bounce. */
  queued?: number;
  /** End of the log (default: now). */
  now?: Date;
  seed?: number;
}

export interface IncidentSummary {
  account: string;
  /** The server's public address in the log and the remote servers' replies (TEST-NET-3). */
  publicIp: string;
  /** Queued spam the account sent (forged senders) and the bounces of that spam. */
  spamIds: string[];
  /** Queued mail the account sent as itself. */
  ownIds: string[];
  /** Another account's queued mail. */
  otherIds: string[];
}

export const INCIDENT_PUBLIC_IP = '203.0.113.25';

const FORGED = ['yahoo.com', 'yahoo.fr', 'aol.com', 'gmail.com', 'hotmail.it'];

/** Remote replies that keep spam in the deferred queue (throttling of a server with a bad reputation). */
function throttle(r: Random, domain: string, ip: string): string {
  if (domain.startsWith('gmail')) {
    return `host gmail-smtp-in.l.google.com[142.250.27.${r.int(10, 27)}] said: 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. (in reply to end of DATA command)`;
  }
  if (/hotmail|outlook|msn|live/.test(domain)) {
    return `host ${domain.replace(/\./g, '-')}.olc.protection.outlook.com[52.101.${r.int(8, 200)}.${r.int(1, 254)}] said: 451 4.7.650 The mail server [${ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) (in reply to MAIL FROM command)`;
  }
  return `host mta${r.int(5, 7)}.am0.yahoodns.net[67.195.204.${r.int(70, 80)}] said: 421 4.7.0 [TSS04] Messages from ${ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)`;
}

/** Fills the sandbox's mail log and queue with the incident; returns who did what. */
export async function seedIncident(root: string, server: { hostname: string; domains: string[]; accounts: string[] }, options: IncidentOptions): Promise<IncidentSummary> {
  const r = new Random(options.seed ?? 7);
  const now = (options.now ?? new Date()).getTime();
  const mailLog = path.join(root, 'var/log/zimbra.log');
  await writeDemoLog(mailLog, { domains: server.domains, accounts: server.accounts, compromised: options.account, end: new Date(now - 5 * 60_000), seed: options.seed });

  const clock = new Clock('classic');
  const ip = INCIDENT_PUBLIC_IP;
  const lines: { t: number; text: string }[] = [];
  const log = (t: number, program: string, text: string) => lines.push({ t, text: `${program}[${r.int(2000, 32000)}]: ${text}` });
  const attackers = [r.ip(), r.ip(), r.ip()];
  const queue: SeedMessage[] = [];
  const spam: number[] = [];
  const count = options.queued ?? 12;
  let t = now - 4 * 60_000;
  for (let n = 0; n < count; n++) {
    t += Math.floor(200_000 / count);
    const [q1, q2] = [newQueueId(), newQueueId()];
    const forged = `${r.token(7).toLowerCase().replace(/[^a-z0-9]/g, 'x')}@${r.pick(FORGED)}`;
    const rcpts = Array.from({ length: r.int(3, 5) }, () => outsideAddress(r));
    const client = `unknown[${r.pick(attackers)}]`;
    const size = r.int(2500, 6000);
    log(t, 'postfix/submission/smtpd', `${q1}: client=${client}, sasl_method=LOGIN, sasl_username=${options.account}`);
    log(t + 90, 'postfix/qmgr', `${q1}: from=<${forged}>, size=${size}, nrcpt=${rcpts.length} (queue active)`);
    for (const to of rcpts) log(t + 900, 'postfix/smtp', `${q1}: to=<${to}>, relay=127.0.0.1[127.0.0.1]:10032, delay=0.9, delays=0.1/0/0/0.8, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ${q2})`);
    log(t + 910, 'postfix/qmgr', `${q1}: removed`);
    log(t + 920, 'postfix/smtpd', `${q2}: client=localhost[127.0.0.1]`);
    log(t + 930, 'postfix/qmgr', `${q2}: from=<${forged}>, size=${size + 600}, nrcpt=${rcpts.length} (queue active)`);
    const active = n >= count - 2;
    const recipients = rcpts.map((to) => ({ address: to, ...(active ? {} : { reason: throttle(r, to.split('@')[1]!, ip) }) }));
    for (const rc of recipients) if (rc.reason) log(t + 2000, 'postfix/smtp', `${q2}: to=<${rc.address}>, relay=none, delay=1.1, delays=0.1/0/1/0, dsn=4.7.0, status=deferred (${rc.reason})`);
    queue.push({ id: q2, queue: active ? 'active' : 'deferred', sender: forged, recipients, arrival: new Date(t + 920), size: size + 600 });
    spam.push(queue.length - 1);
    if (n % 3 === 0 && !active) {
      // Microsoft refused one more recipient outright; the bounce goes back to the forged sender.
      const q3 = newQueueId();
      log(t + 2100, 'postfix/smtp', `${q2}: to=<${outsideAddress(r).replace(/@.*/, '@hotmail.com')}>, relay=hotmail-com.olc.protection.outlook.com[52.101.42.7]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.0.0, status=bounced (host hotmail-com.olc.protection.outlook.com[52.101.42.7] said: 550 SC-001 (COL004-MC1F17) Unfortunately, messages from ${ip} weren't sent. Please contact your Internet service provider since part of their network is on our block list. You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. (in reply to MAIL FROM command))`);
      log(t + 2110, 'postfix/bounce', `${q2}: sender non-delivery notification: ${q3}`);
      log(t + 2120, 'postfix/qmgr', `${q3}: from=<>, size=${size + 2400}, nrcpt=1 (queue active)`);
      const reason = throttle(r, forged.split('@')[1]!, ip);
      log(t + 3000, 'postfix/smtp', `${q3}: to=<${forged}>, relay=none, delay=1, delays=0/0/1/0, dsn=4.7.0, status=deferred (${reason})`);
      queue.push({ id: q3, sender: '', recipients: [forged], reason, arrival: new Date(t + 2110), size: size + 2400 });
      spam.push(queue.length - 1);
    }
  }
  const other = server.accounts.find((a) => a !== options.account && !a.startsWith('admin@')) ?? server.accounts[0]!;
  const timeout = (host: string) => `connect to ${host}[198.51.100.${r.int(2, 250)}]:25: Connection timed out`;
  queue.push({ sender: options.account, recipients: ['aunt.martha@laposte.net'], reason: timeout('smtp-in.laposte.net'), arrival: new Date(now - 3 * 3600_000), size: 18_432 });
  queue.push({ sender: other, recipients: ['orders@supplier.example.org'], reason: timeout('mx.supplier.example.org'), arrival: new Date(now - 2 * 3600_000), size: 40_960 });

  const text = lines
    .sort((a, b) => a.t - b.t)
    .map((l) => `${clock.stamp(l.t)} mail ${l.text}\n`)
    .join('');
  appendFileSync(mailLog, Buffer.from(text, 'latin1'));
  utimesSync(mailLog, new Date(now), new Date(now));
  const ids = seedQueue(root, queue);
  return {
    account: options.account,
    publicIp: ip,
    spamIds: spam.map((i) => ids[i]!),
    ownIds: [ids[ids.length - 2]!],
    otherIds: [ids[ids.length - 1]!],
  };
}
