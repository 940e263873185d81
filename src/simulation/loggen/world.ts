import type { Random } from './random.js';

/** Everything a message flow needs to know about the simulated server. */
export interface World {
  rnd: Random;
  /** Host name field of every line (`mail`). */
  host: string;
  /** The server's FQDN and address (webmail submissions come from there). */
  fqdn: string;
  serverIp: string;
  domains: string[];
  accounts: string[];
  /** 'classic': ZCS 8.0 amavis (`,BODY=`, Passed without Queue-ID); 'mail-id': newer amavis. */
  amavisStyle: 'classic' | 'mail-id';
  /** Writes one syslog line to the mail log: `<program>[pid]: text` at time t. */
  mail(t: number, program: string, text: string): void;
  /** Writes one line to cbpolicyd's own log. */
  policyd(t: number, text: string): void;
  qid(): string;
  amavisId(): string;
  pid(program: string): number;
}

const OUTSIDE_DOMAINS = [
  'gmail.com', 'yahoo.com', 'yahoo.fr', 'hotmail.com', 'hotmail.it', 'outlook.com', 'msn.com', 'alice.it', 'libero.it',
  'orange.fr', 'free.fr', 'laposte.net', 'web.de', 'gmx.de', 'aol.com', 'icloud.com', 'protonmail.com', 'wanadoo.fr',
];
const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'nina', 'oscar', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'xena'];
const LAST = ['martin', 'bernard', 'dubois', 'thomas', 'robert', 'richard', 'petit', 'durand', 'leroy', 'moreau', 'simon', 'laurent', 'lefebvre', 'michel', 'garcia', 'david'];

export function makeAccounts(rnd: Random, domains: readonly string[], count: number): string[] {
  const set = new Set<string>();
  while (set.size < count) set.add(`${rnd.pick(FIRST)}.${rnd.pick(LAST)}${set.size >= FIRST.length * LAST.length / 2 ? rnd.int(1, 999) : ''}@${rnd.pick(domains)}`);
  return [...set];
}

export function outsideAddress(rnd: Random): string {
  return `${rnd.pick(FIRST)}${rnd.chance(0.5) ? `.${rnd.pick(LAST)}` : ''}${rnd.int(1, 9999)}@${rnd.pick(OUTSIDE_DOMAINS)}`;
}

export function mxOf(rnd: Random, domain: string): string {
  return `mx${rnd.int(1, 4)}.${domain}[${rnd.ip()}]:25`;
}

/** Each account logs in from its home or office network. */
export function ipOfAccount(r: Random, account: string): string {
  let h = 0;
  for (let i = 0; i < account.length; i++) h = (h * 31 + account.charCodeAt(i)) >>> 0;
  return `${(h % 200) + 11}.${(h >>> 8) % 256}.${r.int(0, 1) + ((h >>> 16) % 250)}.${r.int(1, 254)}`;
}

