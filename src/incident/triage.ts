/**
 * `incident`: read-only triage, everything at once — the monitor's analysis of the mail log over
 * the window, the mail queue, and the server's address on the DNS block lists — then the suspects
 * ranked with their evidence and their mail still queued. One zmprov (the domains), no change.
 */
import { detectServer } from '../core/detect.js';
import type { MonitorSettings } from '../core/settings.js';
import type { Host } from '../host/host.js';
import { runMonitor } from '../monitor/run-monitor.js';
import { serverDomains } from '../monitor/server-domains.js';
import type { Finding } from '../monitor/types.js';
import { readQueue } from '../zimbra/mail-queue.js';
import type { QueuedMail } from '../zimbra/queue-listing.js';
import { formatVersion } from '../zimbra/version.js';
import { accountMail, traceSince } from './account-mail.js';
import { checkBlocklists, type ListingResult } from './dnsbl.js';
import { findPublicAddress, type PublicAddress } from './public-address.js';
import { traceAccounts } from './queue-attribution.js';
import { summariseQueue, type QueueSummary } from './queue-summary.js';
import { rankSuspects, type Suspect } from './suspects.js';

export interface TriageOptions {
  since: Date;
  /** The server's public IPv4 address, when known. */
  ip?: string;
  resolvers?: readonly string[];
  zones: readonly string[];
  timeoutMs: number;
  /** false: no DNS query at all. */
  blocklists: boolean;
  monitor: MonitorSettings;
}

export interface Triage {
  hostname: string;
  zimbraVersion: string;
  since: Date;
  until: Date;
  suspects: Suspect[];
  /** Findings about no account: backscatter, a growing deferred queue. */
  others: Finding[];
  queue?: QueueSummary & { format: 'json' | 'text' };
  queueError?: string;
  address?: PublicAddress;
  listings: ListingResult[];
  warnings: string[];
  logFiles: string[];
}

async function blocklistCheck(host: Host, env: Parameters<typeof findPublicAddress>[1], options: TriageOptions): Promise<{ address: PublicAddress; listings: ListingResult[] }> {
  const address = await findPublicAddress(host, env, { ip: options.ip, resolvers: options.resolvers, timeoutMs: options.timeoutMs });
  if (!address.ip) return { address, listings: [] };
  return { address, listings: await checkBlocklists(address.ip, { zones: options.zones, resolvers: options.resolvers, timeoutMs: options.timeoutMs }) };
}

export async function runTriage(host: Host, options: TriageOptions): Promise<Triage> {
  const env = await detectServer(host);
  const domains = await serverDomains(host, env.paths.zmprov);
  const [monitor, queue, dns] = await Promise.all([
    runMonitor({
      host,
      domains,
      ownAddresses: options.monitor.ownAddresses,
      settings: options.monitor,
      allowances: options.monitor.allowances,
      since: options.since,
      mailLog: env.paths.mailLog,
      policydLog: env.paths.cbpolicydLog,
    }),
    readQueue(host, env.paths).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    options.blocklists ? blocklistCheck(host, env, options) : undefined,
  ]);
  const { suspects, others } = rankSuspects(monitor.findings);
  const triage: Triage = {
    hostname: env.hostname,
    zimbraVersion: formatVersion(env.version),
    since: options.since,
    until: new Date(),
    suspects,
    others,
    listings: dns?.listings ?? [],
    ...(dns ? { address: dns.address } : {}),
    warnings: monitor.warnings,
    logFiles: monitor.files,
  };
  if (queue instanceof Error) {
    triage.queueError = queue.message;
    return triage;
  }
  triage.queue = { ...summariseQueue(queue.messages, domains), format: queue.format };
  await addQueuedMail(host, env.paths.mailLog, suspects, queue.messages, options.since.getTime());
  return triage;
}

/** Each suspect account's messages still queued: by sender, and by tracing its logins in the log. */
async function addQueuedMail(host: Host, mailLog: string, suspects: Suspect[], queue: readonly QueuedMail[], windowStart: number): Promise<void> {
  const accounts = suspects.flatMap((s) => (s.account ? [s.account] : []));
  if (accounts.length === 0) return;
  const since = Math.min(windowStart, traceSince(queue, accounts, windowStart));
  const traces = queue.length > 0 ? await traceAccounts(host, mailLog, new Map(accounts.map((a) => [a, a])), since) : new Map();
  for (const s of suspects) {
    if (!s.account) continue;
    const mail = accountMail(queue, [s.account], traces.get(s.account));
    s.queued = { messages: mail.messages.length, held: mail.messages.filter((m) => m.queue === 'hold').length, bySender: mail.bySender, byLogin: mail.byLogin };
  }
}
