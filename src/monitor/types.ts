/** What the monitor reports, and the events its detectors consume. */

export type FindingType = 'forged-sender-relay' | 'stolen-account' | 'quota-hit' | 'backscatter' | 'deferred-queue';

/** How a message entered the server. */
export type Origin = 'smtp-auth' | 'webmail' | 'unauthenticated' | 'inbound' | 'unknown';

export interface Finding {
  type: FindingType;
  /** Stable identity (type + subject): a finding is reported once per key. */
  key: string;
  /** The account, sender or 'queue' the finding is about. */
  subject: string;
  /** The authenticated (or webmail) account behind it, when known. */
  account?: string;
  origin?: Origin;
  /** ISO 8601 times of the first and last log line involved. */
  firstSeen: string;
  lastSeen: string;
  counts: Record<string, number>;
  /** Why it was flagged, one short sentence each. */
  reasons: string[];
  /** A few log lines, already stripped of control characters. */
  evidence: string[];
  /** What the admin should run or do. */
  actions: string[];
  /** Client addresses that submitted the mail (SMTP AUTH logins, relaying clients), in order of first use. */
  clientIps?: string[];
}

/** A message that left (or tried to leave) through the server, as amavis saw it. */
export interface OutboundMessage {
  time: number;
  /** Lower-cased envelope sender ('' for the null sender). */
  sender: string;
  recipients: string[];
  /** Recipients outside the server's domains. */
  outside: string[];
  account?: string;
  origin: Origin;
  clientIp?: string;
  /** The raw log line (latin1-decoded) that best shows the message. */
  line: string;
}

export interface QuotaHit {
  time: number;
  /** The tracked key as cbpolicyd logs it, e.g. `Sender:bob@example.com`. */
  track: string;
  account: string;
  line: string;
}

/** Receives what the correlator extracts from the log, in log order. */
export interface EventSink {
  outbound(message: OutboundMessage): void;
  deferral(time: number, line: string, count: number): void;
  backscatter(time: number, target: string, line: string, count: number): void;
  quota(hit: QuotaHit, count: number): void;
}
