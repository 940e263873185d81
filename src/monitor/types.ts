/** What the monitor reports, and the events its detectors consume. */

import type { FindingType } from './finding-kinds.js';

export type { FindingType } from './finding-kinds.js';

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
  /** Low: a note, not an alarm (from the finding kinds table). */
  severity?: 'high' | 'low';
  /** The MTAs (syslog host names) the mail left from or the lines came from. */
  mtas?: string[];
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
  /** Syslog host name of the line (the MTA, on a logger host that gathers several servers). */
  mta?: string;
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
  /** A temporary delivery failure; `queueId` (host-qualified) tells a retry from a new message. */
  deferral(time: number, line: string, count: number, cause: string, queueId: string, mta: string): void;
  /** A non-delivery notice sent to an outside address; `cause` is why the original failed. */
  backscatter(time: number, target: string, line: string, count: number, cause: string, mta: string): void;
  quota(hit: QuotaHit, count: number): void;
  /** `postsuper -d`: the deferred queue was emptied by hand. */
  queueDeleted(time: number, line: string): void;
}
