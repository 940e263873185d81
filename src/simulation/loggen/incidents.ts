import { message } from './flows.js';
import { policydStamp } from './syslog-format.js';
import { ipOfAccount, outsideAddress, type World } from './world.js';

/** Something an admin must act on, mixed into ordinary traffic. Times are minutes after the log's start. */
export type Incident =
  /** The recipe's case: a stolen SMTP AUTH login relaying with forged senders (`x@yahoo.com`). */
  | { type: 'forged-relay'; account: string; atMinute: number; messages: number; recipientsPerMessage?: number; minutes?: number }
  /** A stolen webmail session: no SASL, the sender is the account, many outside recipients. */
  | { type: 'stolen-webmail'; account: string; atMinute: number; messages: number; recipientsPerMessage?: number; minutes?: number }
  /** A stolen SMTP AUTH login used from many networks, with the account's own address. */
  | { type: 'stolen-smtp-auth'; account: string; atMinute: number; messages: number; networks?: number; minutes?: number }
  /** cbpolicyd deferring an account that hit its sending limit. */
  | { type: 'quota-hit'; account: string; atMinute: number; hits: number; minutes?: number }
  /** Inbound spam to unknown local users with forged outside senders, bounced back to them. */
  | { type: 'backscatter'; atMinute: number; bounces: number; minutes?: number }
  /** Outbound deliveries that keep being deferred. */
  | { type: 'deferred'; atMinute: number; deferrals: number; minutes?: number }
  /**
   * Forged-sender relaying whose recipients' servers reject part of it at once (5xx: a notice to
   * each forged sender) while the rest stays deferred until it expires (a second wave of notices).
   */
  | { type: 'relay-backscatter'; account: string; atMinute: number; messages: number; minutes?: number; expireAfterHours: number }
  /** Inbound spam with forged senders to an over-quota mailbox: LMTP 552 5.2.2, notices to the forged senders. */
  | { type: 'over-quota'; account: string; atMinute: number; bounces: number; minutes?: number }
  /** A provider rate-limiting the server: ordinary mail to it deferred (Yahoo TSS04, Gmail 4.7.28), retried, then sent. */
  | { type: 'rate-limit'; provider: 'yahoo' | 'gmail'; atMinute: number; messages: number; minutes?: number }
  /** The resolver failing: every outbound delivery deferred (Host not found, try again), then `postqueue -f` sends them. */
  | { type: 'dns-outage'; atMinute: number; messages: number; minutes?: number }
  /** The admin empties the deferred queue: `postsuper -d ALL deferred`. */
  | { type: 'queue-purge'; atMinute: number; deleted: number }
  /** Failed logins against many accounts, then one account used from many new networks, a few mails each. */
  | { type: 'credential-stuffing'; account: string; atMinute: number; networks: number; minutes?: number }
  /** Look-alikes that must stay quiet. */
  | { type: 'newsletter'; account: string; atMinute: number; days: number }
  | { type: 'traveller'; account: string; atMinute: number; networks: number; messages: number; minutes?: number }
  | { type: 'greetings'; account: string; atMinute: number; contacts: number }
  | { type: 'brute-force'; atMinute: number; attempts: number; minutes?: number }
  | { type: 'joe-job'; atMinute: number; bounces: number; minutes?: number }
  | { type: 'private-sender'; account: string; atMinute: number; messages: number; minutes?: number }
  | { type: 'forwarding'; account: string; atMinute: number; messages: number; minutes?: number }
  /**
   * An invoicing application: each workday from `atMinute` on (its time of day), one mail with a PDF to
   * each of `invoices` distinct outside customers within `minutes`, over SMTP AUTH as its own account
   * and with that address as sender, from one fixed address; or (`mynetworks`) from a host of the trusted
   * network without a login, as many ERP setups do.
   */
  | { type: 'invoicing'; account: string; atMinute: number; days: number; invoices: number; minutes?: number; clientIp?: string; mynetworks?: boolean }
  /**
   * A user's mail to a distribution list of `members` addresses (`outside` of them outside), expanded by
   * Postfix after amavis: amavis sees one recipient, the list; each delivery names a member with `orig_to`.
   */
  | { type: 'distribution-list'; account: string; list: string; members: number; outside: number; atMinute: number; messages: number; minutes?: number }
  /**
   * The deferrals of any day: greylisting by many domains, two domains with broken DNS, one dead
   * server, now and then a lone Yahoo TSS04; each retried, then delivered.
   */
  | { type: 'stray-deferrals'; atMinute: number; days: number; perHour?: number };

/** One scheduled incident message: when, and what to write. */
export interface Scheduled {
  t: number;
  run: (w: World, t: number) => void;
}

const FORGED_DOMAINS = ['yahoo.com', 'yahoo.fr', 'aol.com', 'hotmail.com', 'outlook.com', 'gmail.com'];

function outsideList(w: World, n: number): string[] {
  return Array.from({ length: n }, () => outsideAddress(w.rnd));
}

function countOf(incident: Incident): number {
  switch (incident.type) {
    case 'quota-hit':
      return incident.hits;
    case 'backscatter':
    case 'over-quota':
    case 'joe-job':
      return incident.bounces;
    case 'deferred':
      return incident.deferrals;
    case 'queue-purge':
    case 'greetings':
      return incident.type === 'greetings' ? Math.ceil(incident.contacts / 10) : 1;
    case 'credential-stuffing':
      return incident.networks * 2;
    case 'newsletter':
      return incident.days * 24 * 25; // 25 an hour, sent only on working hours: 200 a workday
    case 'stray-deferrals':
      return incident.days * 24 * (incident.perHour ?? 4);
    case 'brute-force':
      return incident.attempts;
    case 'invoicing':
      return incident.days * incident.invoices;
    default:
      return incident.messages;
  }
}

/** The incident's messages, spread evenly over its duration. */
export function schedule(w: World, start: number, incident: Incident): Scheduled[] {
  if (incident.type === 'invoicing') return invoicingRuns(w, start, incident);
  const minutes = incident.type === 'newsletter' || incident.type === 'stray-deferrals' ? incident.days * 24 * 60 : incident.type === 'queue-purge' || incident.type === 'greetings' ? 1 : (incident.minutes ?? 30);
  const t0 = start + incident.atMinute * 60_000;
  const count = countOf(incident);
  const step = (minutes * 60_000) / Math.max(1, count);
  const out: Scheduled[] = [];
  const attackerIps = Array.from({ length: 'networks' in incident ? (incident.networks ?? 8) : 3 }, () => w.rnd.ip());
  const lists = incident.type === 'distribution-list' ? { [incident.list]: listMembers(w, incident.list, incident.members, incident.outside) } : undefined;
  for (let i = 0; i < count; i++) {
    const t = Math.round(t0 + i * step + w.rnd.next() * step * 0.5);
    switch (incident.type) {
      case 'forged-relay':
        out.push({
          t,
          run: (world, at) => {
            const forged = `${world.rnd.token(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}@${world.rnd.pick(FORGED_DOMAINS)}`;
            message(world, at, { kind: 'smtp-auth', account: incident.account, sender: forged, recipients: outsideList(world, incident.recipientsPerMessage ?? 25), clientIp: world.rnd.pick(attackerIps) });
          },
        });
        break;
      case 'stolen-webmail':
        out.push({ t, run: (world, at) => message(world, at, { kind: 'webmail', sender: incident.account, recipients: outsideList(world, incident.recipientsPerMessage ?? 20), clientIp: world.serverIp }) });
        break;
      case 'stolen-smtp-auth':
        out.push({
          t,
          run: (world, at) => message(world, at, { kind: 'smtp-auth', account: incident.account, sender: incident.account, recipients: outsideList(world, 3), clientIp: attackerIps[i % attackerIps.length]! }),
        });
        break;
      case 'quota-hit':
        out.push({
          t,
          run: (world, at) => {
            const ip = attackerIps[0]!;
            const to = outsideAddress(world.rnd);
            world.mail(at, 'postfix/submission/smtpd', `NOQUEUE: reject: RCPT from unknown[${ip}]: 450 4.7.1 <${to}>: Sender address rejected: Deferring: Maximum 100 emails per hour; from=<${incident.account}> to=<${to}> proto=ESMTP helo=<[${ip}]>`);
            world.policyd(
              at,
              `${policydStamp(at, world.pid('cbpolicyd'))} [CORE] INFO: module=Quotas, action=defer, host=${ip}, helo=[${ip}], from=${incident.account}, to=${to}, reason=quota_match, policy=1, quota=3, limit=4, track=Sender:${incident.account}, counter=100.${world.rnd.int(10, 99)}, quota=100/100 (100.0%)`,
            );
          },
        });
        break;
      case 'backscatter':
        out.push({
          t,
          run: (world, at) => {
            const local = `${world.rnd.token(8).toLowerCase().replace(/[^a-z0-9]/g, 'q')}@${world.rnd.pick(world.domains)}`;
            message(world, at, { kind: 'inbound', sender: outsideAddress(world.rnd), recipients: [local], clientIp: world.rnd.ip(), unknownLocal: true });
          },
        });
        break;
      case 'relay-backscatter':
        out.push({
          t,
          run: (world, at) => {
            const forged = `${world.rnd.token(7).toLowerCase().replace(/[^a-z0-9]/g, 'x')}@${world.rnd.pick(FORGED_DOMAINS)}`;
            const to = outsideList(world, 4);
            const outcome = (r: string) => (r === to[0] ? 'reject' : r === to[1] ? 'defer' : 'sent');
            message(world, at, { kind: 'smtp-auth', account: incident.account, sender: forged, recipients: to, clientIp: world.rnd.pick(attackerIps), outcome, deferReply: 'host mx.remote.example[192.0.2.200] said: 451 4.7.1 Please try again later (in reply to end of DATA command)', retries: [3 * 3600_000, 9 * 3600_000], expireAfter: incident.expireAfterHours * 3600_000 });
          },
        });
        break;
      case 'over-quota':
        out.push({ t, run: (world, at) => message(world, at, { kind: 'inbound', sender: outsideAddress(world.rnd), recipients: [incident.account], clientIp: world.rnd.ip(), overQuota: true }) });
        break;
      case 'rate-limit':
        out.push({
          t,
          run: (world, at) => {
            const account = world.rnd.pick(world.accounts);
            const yahoo = incident.provider === 'yahoo';
            const rcpt = `${world.rnd.token(6).toLowerCase().replace(/[^a-z0-9]/g, 'y')}@${yahoo ? 'yahoo.com' : 'gmail.com'}`;
            const reply = yahoo
              ? `host mta5.am0.yahoodns.net[98.136.96.91] said: 421 4.7.0 [TSS04] Messages from ${world.serverIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)`
              : 'host gmail-smtp-in.l.google.com[142.250.102.27] said: 421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. 421 4.7.28 To protect our users from spam, mail sent from your IP address has been temporarily rate limited. (in reply to end of DATA command)';
            message(world, at, { kind: 'smtp-auth', account, sender: account, recipients: [rcpt], clientIp: ipOfAccount(world.rnd, account), defer: true, deferReply: reply, deferDsn: '4.7.0', retries: [40 * 60_000, 100 * 60_000, 180 * 60_000], sentAfter: 300 * 60_000 });
          },
        });
        break;
      case 'dns-outage': {
        const end = t0 + minutes * 60_000;
        out.push({
          t,
          run: (world, at) => {
            const account = world.rnd.pick(world.accounts);
            const to = outsideAddress(world.rnd);
            const domain = to.slice(to.indexOf('@') + 1);
            message(world, at, { kind: 'smtp-auth', account, sender: account, recipients: [to], clientIp: ipOfAccount(world.rnd, account), defer: true, deferReply: `Host or domain name not found. Name service error for name=${domain} type=MX: Host not found, try again`, deferDsn: '4.4.3', sentAfter: end + 5 * 60_000 - at });
          },
        });
        if (i === 0) out.push({ t: end + 5 * 60_000, run: (world, at) => world.mail(at, 'postfix/postqueue', 'warning: Mail system is down -- accessing queue directly') });
        break;
      }
      case 'queue-purge':
        out.push({ t, run: (world, at) => world.mail(at, 'postfix/postsuper', `Deleted: ${incident.deleted} messages`) });
        break;
      case 'credential-stuffing': {
        const nets = Array.from({ length: incident.networks }, (_, k) => `${20 + ((k * 37) % 200)}.${(k * 53) % 250}.${w.rnd.int(0, 250)}`);
        if (i === 0) {
          for (let k = 0; k < 60; k++) {
            out.push({
              t: t0 - 40 * 60_000 + k * 30_000,
              run: (world, at) => {
                const ip = world.rnd.ip();
                world.mail(at, 'postfix/submission/smtpd', `warning: unknown[${ip}]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`);
                world.mail(at + 20, 'postfix/submission/smtpd', `lost connection after AUTH from unknown[${ip}]`);
              },
            });
          }
        }
        out.push({
          t,
          run: (world, at) => message(world, at, { kind: 'smtp-auth', account: incident.account, sender: incident.account, recipients: outsideList(world, 2), clientIp: `${nets[i % nets.length]}.${world.rnd.int(2, 250)}` }),
        });
        break;
      }
      case 'newsletter':
        out.push({
          t,
          run: (world, at) => {
            const hour = new Date(at).getHours();
            const weekday = new Date(at).getDay();
            if (hour < 9 || hour >= 17 || weekday === 0 || weekday === 6) return;
            message(world, at, { kind: 'smtp-auth', account: incident.account, sender: incident.account, recipients: outsideList(world, 10), clientIp: '192.0.2.80' });
          },
        });
        break;
      case 'traveller':
        out.push({ t, run: (world, at) => message(world, at, { kind: 'smtp-auth', account: incident.account, sender: incident.account, recipients: outsideList(world, 2), clientIp: `${[81, 145, 203][i % Math.min(3, incident.networks)]}.${40 + (i % 3)}.7.${world.rnd.int(2, 250)}` }) });
        break;
      case 'greetings':
        out.push({ t, run: (world, at) => message(world, at, { kind: 'webmail', sender: incident.account, recipients: outsideList(world, 10), clientIp: world.serverIp }) });
        break;
      case 'brute-force':
        out.push({
          t,
          run: (world, at) => {
            const ip = world.rnd.pick(attackerIps);
            world.mail(at, 'postfix/submission/smtpd', `warning: unknown[${ip}]: SASL LOGIN authentication failed: authentication failure`);
            world.mail(at + 20, 'postfix/submission/smtpd', `lost connection after AUTH from unknown[${ip}]`);
          },
        });
        break;
      case 'joe-job':
        out.push({ t, run: (world, at) => message(world, at, { kind: 'inbound', sender: '', recipients: [world.rnd.pick(world.accounts)], clientIp: world.rnd.ip() }) });
        break;
      case 'private-sender':
        out.push({
          t,
          run: (world, at) => message(world, at, { kind: 'smtp-auth', account: incident.account, sender: `${incident.account.slice(0, incident.account.indexOf('@'))}.home@gmail.com`, recipients: outsideList(world, 1), clientIp: ipOfAccount(world.rnd, incident.account) }),
        });
        break;
      case 'forwarding':
        out.push({ t, run: (world, at) => message(world, at, { kind: 'inbound', sender: outsideAddress(world.rnd), recipients: [`${incident.account.slice(0, incident.account.indexOf('@'))}.fwd@gmail.com`], clientIp: world.rnd.ip() }) });
        break;
      case 'distribution-list':
        out.push({ t, run: (world, at) => message(world, at, { kind: 'smtp-auth', account: incident.account, sender: incident.account, recipients: [incident.list], lists, clientIp: ipOfAccount(world.rnd, incident.account) }) });
        break;
      case 'stray-deferrals':
        out.push({ t, run: (world, at) => strayDeferral(world, at) });
        break;
      case 'deferred':
        out.push({
          t,
          run: (world, at) => {
            const account = world.rnd.pick(world.accounts);
            message(world, at, { kind: 'smtp-auth', account, sender: account, recipients: [outsideAddress(world.rnd)], clientIp: ipOfAccount(world.rnd, account), defer: true });
          },
        });
        break;
    }
  }
  return out;
}

/** The members of a distribution list: accounts of the server (then other local addresses), and `outside` outside ones. */
function listMembers(w: World, list: string, members: number, outside: number): string[] {
  const domain = list.slice(list.indexOf('@') + 1);
  const local = Array.from({ length: members - outside }, (_, k) => w.accounts[k] ?? `staff${k}@${domain}`);
  return [...local, ...outsideList(w, outside)];
}

const CUSTOMER_MAILBOXES = ['accounts', 'billing', 'ap', 'invoices', 'finance', 'compta', 'buchhaltung'];
const CUSTOMER_TLDS = ['com', 'fr', 'de', 'it', 'co.uk', 'es', 'nl'];

/** Customer k of the invoicing application: a company's accounts-payable address. */
function customer(k: number): string {
  return `${CUSTOMER_MAILBOXES[k % CUSTOMER_MAILBOXES.length]}@client${k}-${['trading', 'services', 'bau', 'sarl', 'group'][k % 5]}.${CUSTOMER_TLDS[k % CUSTOMER_TLDS.length]}`;
}

/** The invoicing application's runs: one a workday at the same time, each invoice to a customer not invoiced that day. */
function invoicingRuns(w: World, start: number, incident: Extract<Incident, { type: 'invoicing' }>): Scheduled[] {
  const out: Scheduled[] = [];
  const step = ((incident.minutes ?? 40) * 60_000) / Math.max(1, incident.invoices);
  const customers = incident.invoices * 5;
  const clientIp = incident.clientIp ?? (incident.mynetworks ? '10.0.0.40' : '198.51.100.23');
  const kind = incident.mynetworks ? 'mynetworks' : 'smtp-auth';
  for (let day = 0; day < incident.days; day++) {
    const t0 = start + incident.atMinute * 60_000 + day * 86_400_000;
    const weekday = new Date(t0).getDay();
    if (weekday === 0 || weekday === 6) continue;
    for (let i = 0; i < incident.invoices; i++) {
      const to = customer((day * incident.invoices + i) % customers);
      out.push({
        t: Math.round(t0 + i * step + w.rnd.next() * step * 0.5),
        run: (world, at) => message(world, at, { kind, account: incident.account, sender: incident.account, recipients: [to], clientIp, size: world.rnd.int(60_000, 260_000) }),
      });
    }
  }
  return out;
}

const BROKEN_DNS = ['broken-dns.example.net', 'lame-delegation.example.org'];

/** One ordinary deferral (see the `stray-deferrals` incident), retried twice, delivered 90 minutes later. */
function strayDeferral(w: World, at: number): void {
  const account = w.rnd.pick(w.accounts);
  const kind = w.rnd.int(0, 19);
  const local = w.rnd.token(6).toLowerCase().replace(/[^a-z0-9]/g, 'k');
  let rcpt = outsideAddress(w.rnd);
  let deferReply: string | undefined;
  let deferDsn = '4.7.1';
  if (kind < 12) {
    const domain = rcpt.slice(rcpt.indexOf('@') + 1);
    deferReply = `host mx1.${domain}[${w.rnd.ip()}] said: 450 4.7.1 <${rcpt}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/${domain}.html (in reply to RCPT TO command)`;
  } else if (kind < 16) {
    const domain = w.rnd.pick(BROKEN_DNS);
    rcpt = `${local}@${domain}`;
    deferReply = `Host or domain name not found. Name service error for name=${domain} type=MX: Host not found, try again`;
    deferDsn = '4.4.3';
  } else if (kind < 19) {
    rcpt = `${local}@gone-server.example.com`;
    deferReply = undefined; // the default: connection timed out
    deferDsn = '4.4.1';
  } else {
    rcpt = `${local}@yahoo.com`;
    deferReply = `host mta6.am0.yahoodns.net[67.195.204.77] said: 421 4.7.0 [TSS04] Messages from ${w.serverIp} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)`;
    deferDsn = '4.7.0';
  }
  message(w, at, { kind: 'smtp-auth', account, sender: account, recipients: [rcpt], clientIp: ipOfAccount(w.rnd, account), defer: true, deferReply, deferDsn, retries: [15 * 60_000, 45 * 60_000], sentAfter: 90 * 60_000 });
}
