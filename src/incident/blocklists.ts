/**
 * The DNS block lists checked by default, what their answers mean and how to get off them;
 * and Microsoft's own list, which has no DNS zone (its bounces are the recipe's starting point).
 */

export interface Blocklist {
  zone: string;
  name: string;
  /** What the admin does once listed, `{ip}` standing for the address. */
  delisting: string[];
  /** Answers that report a problem with the query, not a listing (→ unknown). */
  queryErrors?: Record<string, string>;
  /** What a listing answer means, when the list tells. */
  codes?: Record<string, string>;
}

const SPAMHAUS_CODES: Record<string, string> = {
  '127.0.0.2': 'SBL: a spam source or spam operation',
  '127.0.0.3': 'CSS: low reputation, e.g. spam sent through a stolen account',
  '127.0.0.4': 'XBL: exploited or compromised host',
  '127.0.0.5': 'XBL: exploited or compromised host',
  '127.0.0.6': 'XBL: exploited or compromised host',
  '127.0.0.7': 'XBL: exploited or compromised host',
  '127.0.0.9': 'DROP: hijacked or spammer-run network',
  '127.0.0.10': 'PBL (ISP): the provider marked this range as not sending mail directly',
  '127.0.0.11': 'PBL (Spamhaus): the range looks like end-user addresses',
};

export const BLOCKLISTS: Blocklist[] = [
  {
    zone: 'zen.spamhaus.org',
    name: 'Spamhaus ZEN',
    codes: SPAMHAUS_CODES,
    queryErrors: {
      '127.255.255.252': 'Spamhaus says the query name was malformed',
      '127.255.255.254': 'Spamhaus refuses queries sent through a public or open resolver: ask through your own resolver (--resolver) or a Spamhaus DQS key',
      '127.255.255.255': 'Spamhaus refused: too many queries from this resolver',
    },
    delisting: [
      'look the address up at https://check.spamhaus.org/ (it names the list: SBL, CSS, XBL or PBL)',
      'CSS/XBL after a stolen account: once the spam has stopped, use the removal button there; it comes back if the spam does',
      'PBL on a real mail server: ask for removal there, or have your provider fix its PBL entry',
    ],
  },
  {
    zone: 'bl.spamcop.net',
    name: 'SpamCop',
    delisting: ['no removal form: the listing expires by itself 24 hours after the last spam report (details: https://www.spamcop.net/bl.shtml?{ip})'],
  },
  {
    zone: 'b.barracudacentral.org',
    name: 'Barracuda Reputation Block List',
    delisting: ['removal request form: https://www.barracudacentral.org/rbl/removal-request (address, a contact, what you fixed)'],
  },
  {
    zone: 'psbl.surriel.com',
    name: 'Passive Spam Block List (PSBL)',
    delisting: ['self-service removal: https://psbl.org/listing?ip={ip}'],
  },
  {
    zone: 'bl.mailspike.net',
    name: 'Mailspike',
    delisting: ['look the address up and ask for delisting at https://mailspike.org/lookup.html (processed automatically within hours)'],
  },
];

export const DEFAULT_BLOCKLIST_ZONES = BLOCKLISTS.map((b) => b.zone);

/** The known list behind a zone, or a generic entry for a zone given in the settings. */
export function blocklistFor(zone: string): Blocklist {
  return (
    BLOCKLISTS.find((b) => b.zone === zone.toLowerCase()) ?? {
      zone: zone.toLowerCase(),
      name: zone.toLowerCase(),
      delisting: [`see the web site of ${zone} for its removal procedure`],
    }
  );
}

/** Microsoft (Outlook.com, Hotmail, Live, MSN): `550 SC-001` / `550 5.7.1 … (S3140|S3150)` bounces; no DNS zone to ask. */
export const MICROSOFT_DELISTING = [
  'Microsoft (Outlook.com, Hotmail, Live, MSN) keeps its own list: you know you are on it from bounces with SC-001, S3140 or S3150',
  'request delisting at https://sender.office.com/ (a verification mail comes; allow up to 24 hours)',
  'if that is refused: the sender support form https://go.microsoft.com/fwlink/?LinkID=614866, with the delisting request `zimbra-harden contain` prints',
  'afterwards: watch the address in Microsoft SNDS (https://sendersupport.olc.protection.outlook.com/snds/)',
];

export function fill(line: string, ip: string): string {
  return line.replaceAll('{ip}', ip);
}
