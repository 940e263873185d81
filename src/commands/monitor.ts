import { hostname as osHostname } from 'node:os';
import { loadConfig } from './config-file.js';
import { assertStateWritable } from '../core/state-dir.js';
import { COMMON_PATHS } from '../zimbra/paths.js';
import { monitorSettings } from '../core/monitor-settings.js';
import { EXIT, UsageError } from '../errors.js';
import { checkAddress } from '../monitor/mailer.js';
import { DeliveryError, reportChannels } from '../monitor/report-channels.js';
import { renderReport, type ReportMeta } from '../monitor/report.js';
import { LOCK_PATH } from '../monitor/state.js';
import { runMonitor } from '../monitor/run-monitor.js';
import { cleanLine } from '../monitor/sanitize.js';
import { cachedDirectory, saveDirectory, type Directory } from '../monitor/directory-cache.js';
import { serverDirectory } from '../monitor/server-domains.js';
import { parseSince } from '../monitor/since.js';
import type { Finding } from '../monitor/types.js';
import { tuneForOneShotScan } from '../monitor/v8-tuning.js';
import type { Context } from './context.js';
import { findingJson } from '../monitor/finding-json.js';

export interface MonitorFlags {
  since?: string;
  /** false with --no-mail: print the report, send nothing, use nothing up. */
  mail: boolean;
  /** Read from the saved position and print, but save nothing and take no lock. */
  peek?: boolean;
  domains?: string;
}

/**
 * Exit codes of `monitor`: 0 nothing to report, 2 findings reported (Lynis/Terraform style),
 * 75 a report channel failed (the findings are kept for the next run), 1 error.
 */
export const MONITOR_EXIT = { nothing: EXIT.ok, findings: EXIT.changes, undelivered: EXIT.tempFail, error: EXIT.error } as const;

interface Server {
  hostname: string;
  domains: string[];
  /** Unknown with --domains: then an account is any name of those domains Zimbra would accept. */
  accounts?: string[];
  mailLog: string;
  policydLog: string;
  /** The directory zmprov just listed, to be saved for the next runs of the hour. */
  freshDirectory?: { directory: Directory; readAt: Date };
}

async function findServer(ctx: Context, flags: MonitorFlags): Promise<Server> {
  if (flags.domains !== undefined) {
    const domains = flags.domains.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
    if (domains.length === 0) throw new UsageError('--domains: give at least one domain');
    return { hostname: osHostname(), domains, mailLog: COMMON_PATHS.mailLog, policydLog: COMMON_PATHS.cbpolicydLog };
  }
  // The logs and zmprov are where every release has them: no `zmcontrol -v` for the version.
  const { findZimbra } = await import('../core/detect.js');
  const { hostname } = await findZimbra(ctx.host);
  const server = { hostname, mailLog: COMMON_PATHS.mailLog, policydLog: COMMON_PATHS.cbpolicydLog };
  const now = new Date();
  // A list at most an hour old still names only accounts gaa listed: an account created since is at worst not named (its mail reported by client address) until the next read.
  const cached = flags.since === undefined ? await cachedDirectory(ctx.host, now) : undefined;
  if (cached) return { ...server, ...cached };
  const directory = await serverDirectory(ctx.host, COMMON_PATHS.zmprov);
  return { ...server, ...directory, freshDirectory: { directory, readAt: now } };
}

/** Each finding once, whichever channels it is owed to. */
function distinct(owed: Map<string, Finding[]>, names?: readonly string[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const [name, list] of owed) if (!names || names.includes(name)) for (const f of list) byKey.set(f.key, f);
  return [...byKey.values()];
}

/**
 * `zimbra-harden monitor`: one incremental scan of the logs (or `--since` triage), the findings
 * sent to every configured channel (mail, syslog, webhook; else printed), exit 2 when something
 * was reported. A channel that fails gets the findings again on the next run; meanwhile the
 * report goes to stdout (cron mails it) and the run exits 75.
 */
export async function runMonitorCommand(ctx: Context, flags: MonitorFlags): Promise<number> {
  tuneForOneShotScan();
  if (flags.peek && flags.since !== undefined) throw new UsageError('--peek and --since: --since already leaves the saved state alone; give one of them');
  const since = flags.since === undefined ? undefined : parseSince(flags.since);
  const settings = await loadConfig(ctx.configPath);
  const monitor = monitorSettings(settings.monitor);
  if (monitor.reportTo) checkAddress(monitor.reportTo, 'monitor.reportTo');
  if (monitor.reportFrom) checkAddress(monitor.reportFrom, 'monitor.reportFrom');
  const server = await findServer(ctx, flags);
  const quiet = ctx.options.quiet ?? false;
  const json = ctx.out.json;
  const channels = reportChannels(ctx.host, monitor, server.hostname);
  const names = channels.length > 0 ? channels.map((c) => c.name) : ['stdout'];
  const sending = flags.mail && !flags.peek && since === undefined;
  const delivered: string[] = [];
  const failures: DeliveryError[] = [];
  const meta = (read: { bytesRead: number; files: string[] }): ReportMeta => ({
    hostname: server.hostname,
    bytesRead: read.bytesRead,
    files: read.files,
    since,
    root: ctx.host.root,
    config: ctx.options.config ? ctx.configPath : undefined,
  });
  const print = (findings: Finding[], read: { bytesRead: number; files: string[] }) => {
    if (!json && findings.length > 0) process.stdout.write(renderReport(findings, meta(read)));
  };

  const deliver = async (owed: Map<string, Finding[]>, read: { bytesRead: number; files: string[] }): Promise<string[]> => {
    for (const finding of distinct(owed)) ctx.out.event('finding', findingJson(finding));
    if (!sending) {
      print(distinct(owed), read);
      return [];
    }
    for (const [name, findings] of owed) {
      if (name === 'stdout') {
        print(findings, read);
        delivered.push(name);
        continue;
      }
      const channel = channels.find((c) => c.name === name);
      if (!channel) continue;
      try {
        await channel.send(findings, meta(read));
        delivered.push(name);
      } catch (error) {
        failures.push(error instanceof DeliveryError ? error : new DeliveryError(name, `could not send the report (${name}, ${channel.target}): ${cleanLine(String(error), 200)}`));
      }
    }
    // Cron mails what a job prints, and syslog or the admin's terminal keeps it: the report is not lost.
    if (failures.length > 0) print(distinct(owed, failures.map((f) => f.channel)), read);
    return delivered;
  };

  // --peek writes nothing, so it may look where the state cannot be written.
  if (!since && !flags.peek) {
    await assertStateWritable(ctx.host, 'nothing was read or mailed: without its saved position the monitor would report the same findings on every run');
    if (server.freshDirectory) await saveDirectory(ctx.host, server.freshDirectory.directory, server.freshDirectory.readAt);
  }
  const result = await runMonitor({
    host: ctx.host,
    domains: server.domains,
    accounts: server.accounts,
    ownAddresses: monitor.ownAddresses,
    settings: monitor,
    allowances: monitor.allowances,
    since,
    peek: flags.peek,
    mailLog: server.mailLog,
    policydLog: server.policydLog,
    channels: names,
    deliver,
  });
  if (result.locked) {
    process.stderr.write(`zimbra-harden monitor: another run holds ${LOCK_PATH}; skipped\n`);
    return MONITOR_EXIT.nothing;
  }
  for (const w of result.warnings) ctx.out.error(w);
  for (const f of failures) ctx.out.error(f.message);
  if (failures.length > 0) ctx.out.error(`the report was printed instead; ${result.pending} finding${result.pending === 1 ? ' is' : 's are'} kept and sent again by the next run that can deliver them`);
  const sent = delivered.filter((d) => d !== 'stdout');
  ctx.out.event('summary', {
    mode: 'monitor',
    findings: result.findings.length,
    reported: result.owed,
    suppressed: result.suppressed,
    pending: result.pending,
    bytesRead: result.bytesRead,
    files: result.files,
    delivered: sent,
    failed: failures.map((f) => f.channel),
    mailed: sent.includes('mail'),
  });
  if (!quiet) {
    const read = `${(result.bytesRead / 1e6).toFixed(1)} MB read${result.files.length ? ` from ${result.files.join(', ')}` : ''}`;
    if (result.owed === 0) ctx.out.line(`No new findings (${read}${result.suppressed ? `; ${result.suppressed} already reported` : ''}).`);
    else if (sent.length > 0) ctx.out.line(`${result.owed} finding${result.owed === 1 ? '' : 's'} sent to ${sent.map((n) => channels.find((c) => c.name === n)!.target).join(', ')} (${read}).`);
    else if (!sending && since === undefined) ctx.out.line(`Nothing was sent or used up: the next run without --no-mail or --peek reports ${result.owed === 1 ? 'it' : 'them'} (${read}).`);
  }
  if (failures.length > 0) return MONITOR_EXIT.undelivered;
  return result.owed > 0 ? MONITOR_EXIT.findings : MONITOR_EXIT.nothing;
}
