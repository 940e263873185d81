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
  | { type: 'deferred'; atMinute: number; deferrals: number; minutes?: number };

/** One scheduled incident message: when, and what to write. */
export interface Scheduled {
  t: number;
  run: (w: World, t: number) => void;
}

const FORGED_DOMAINS = ['yahoo.com', 'yahoo.fr', 'aol.com', 'hotmail.com', 'outlook.com', 'gmail.com'];

function outsideList(w: World, n: number): string[] {
  return Array.from({ length: n }, () => outsideAddress(w.rnd));
}

/** The incident's messages, spread evenly over its duration. */
export function schedule(w: World, start: number, incident: Incident): Scheduled[] {
  const minutes = incident.minutes ?? 30;
  const t0 = start + incident.atMinute * 60_000;
  const count = 'messages' in incident ? incident.messages : 'hits' in incident ? incident.hits : 'bounces' in incident ? incident.bounces : incident.deferrals;
  const step = (minutes * 60_000) / Math.max(1, count);
  const out: Scheduled[] = [];
  const attackerIps = Array.from({ length: 'networks' in incident ? (incident.networks ?? 8) : 3 }, () => w.rnd.ip());
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
