/**
 * `zimbra-harden incident [--since 24h]`: read-only triage — suspects from the mail log, the
 * queue by sender, the block lists and how to get off them. Exit 0 nothing found, 2 suspects or
 * listings found, 1 error.
 */
import { isIP } from 'node:net';
import { loadConfig } from './config-file.js';
import { isDomainName } from '../zimbra/names.js';
import { monitorSchema } from '../core/settings.js';
import { EXIT, UsageError } from '../errors.js';
import { DEFAULT_BLOCKLIST_ZONES } from '../incident/blocklists.js';
import { renderTriage } from '../incident/render-triage.js';
import { runTriage } from '../incident/triage.js';
import { parseSince } from '../monitor/since.js';
import type { Context } from './context.js';
import { tuneForOneShotScan } from '../monitor/v8-tuning.js';

export interface IncidentFlags {
  since: string;
  ip?: string;
  resolver?: string[];
  blocklist?: string[];
  dnsTimeout: string;
  blocklists: boolean;
}

export const INCIDENT_EXIT = { nothing: EXIT.ok, found: EXIT.changes, error: EXIT.error } as const;

export async function runIncident(ctx: Context, flags: IncidentFlags): Promise<number> {
  tuneForOneShotScan();
  const since = parseSince(flags.since);
  const timeoutMs = Number(flags.dnsTimeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 50 || timeoutMs > 60_000) throw new UsageError(`--dns-timeout ${flags.dnsTimeout}: give milliseconds between 50 and 60000`);
  const settings = await loadConfig(ctx.configPath);
  const zones = (flags.blocklist ?? settings.incident?.blocklists ?? DEFAULT_BLOCKLIST_ZONES).map((z) => z.trim().toLowerCase());
  const bad = zones.find((z) => !isDomainName(z));
  if (bad !== undefined) throw new UsageError(`--blocklist ${JSON.stringify(bad)} is not a DNS zone`);
  const ip = flags.ip ?? settings.incident?.publicIp;
  if (ip !== undefined && isIP(ip) !== 4) throw new UsageError(`--ip ${ip}: give the server's public IPv4 address`);
  const triage = await runTriage(ctx.host, {
    since,
    ip,
    resolvers: flags.resolver ?? settings.incident?.resolvers,
    zones,
    timeoutMs,
    blocklists: flags.blocklists,
    monitor: monitorSchema.parse(settings.monitor ?? {}),
  });
  const listed = triage.listings.filter((l) => l.status === 'listed').length;
  const unknown = triage.listings.filter((l) => l.status === 'unknown').length;
  const found = triage.suspects.length > 0 || listed > 0;
  // -q: silent when nothing was found; otherwise the whole triage, which is all about the problem.
  renderTriage(found ? ctx.out.unquiet() : ctx.out, triage);
  ctx.out.event('summary', { mode: 'incident', suspects: triage.suspects.length, listed, unknown, queued: triage.queue?.messages ?? null });
  return found ? INCIDENT_EXIT.found : INCIDENT_EXIT.nothing;
}
