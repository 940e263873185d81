import { hostname as osHostname } from 'node:os';
import { loadConfig } from '../core/config-file.js';
import { assertStateWritable } from '../core/state-dir.js';
import { monitorSchema, type MonitorSettings } from '../core/settings.js';
import { EXIT, UsageError } from '../errors.js';
import { sendReport } from '../monitor/mailer.js';
import { renderReport, reportSubject } from '../monitor/report.js';
import { LOCK_PATH } from '../monitor/state.js';
import { MAIL_LOG, POLICYD_LOG, runMonitor } from '../monitor/run-monitor.js';
import { serverDomains } from '../monitor/server-domains.js';
import { parseSince } from '../monitor/since.js';
import type { Finding } from '../monitor/types.js';
import { tuneForOneShotScan } from '../monitor/v8-tuning.js';
import type { Context } from './context.js';
import { findingJson } from '../ui/finding-json.js';

export interface MonitorFlags {
  since?: string;
  mail: boolean;
  domains?: string;
}

/** Exit codes of `monitor`: 0 nothing new, 2 new findings (Lynis/Terraform style), 1 error. */
export const MONITOR_EXIT = { nothing: EXIT.ok, findings: EXIT.changes, error: EXIT.error } as const;

interface Server {
  hostname: string;
  domains: string[];
  mailLog: string;
  policydLog: string;
}

async function findServer(ctx: Context, flags: MonitorFlags): Promise<Server> {
  if (flags.domains !== undefined) {
    const domains = flags.domains.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean);
    if (domains.length === 0) throw new UsageError('--domains: give at least one domain');
    return { hostname: osHostname(), domains, mailLog: MAIL_LOG, policydLog: POLICYD_LOG };
  }
  const { detectServer } = await import('../core/detect.js');
  const env = await detectServer(ctx.host);
  return { hostname: env.hostname, domains: await serverDomains(ctx.host, env.paths.zmprov), mailLog: env.paths.mailLog, policydLog: env.paths.cbpolicydLog };
}

/**
 * `zimbra-harden monitor`: one incremental scan of the logs (or `--since` triage), a mail with the
 * new findings (or the report on stdout), exit 2 when something was found.
 */
export async function runMonitorCommand(ctx: Context, flags: MonitorFlags): Promise<number> {
  tuneForOneShotScan();
  const since = flags.since === undefined ? undefined : parseSince(flags.since);
  const settings = await loadConfig(ctx.configPath);
  const monitor = monitorSchema.parse(settings.monitor ?? {});
  const server = await findServer(ctx, flags);
  const quiet = ctx.options.quiet ?? false;
  const json = ctx.out.json;
  const mailTo = flags.mail && !json && !since ? monitor.reportTo : undefined;
  let delivered = '';

  const deliver = async (findings: Finding[], read: { bytesRead: number; files: string[] }) => {
    for (const finding of findings) ctx.out.event('finding', findingJson(finding));
    if (json) return;
    const text = renderReport(findings, { hostname: server.hostname, ...read, since });
    if (mailTo) {
      await sendReport({ smtpHost: monitor.smtpHost, smtpPort: monitor.smtpPort, to: mailTo, from: monitor.reportFrom ?? `root@${server.hostname}` }, reportSubject(findings, server.hostname), text);
      delivered = `report mailed to ${mailTo}`;
    } else {
      process.stdout.write(text);
    }
  };

  if (!since) await assertStateWritable(ctx.host, 'nothing was read or mailed: without its saved position the monitor would report the same findings on every run');
  const result = await runMonitor({
    host: ctx.host,
    domains: server.domains,
    ownAddresses: monitor.ownAddresses,
    settings: monitor,
    allowances: monitor.allowances,
    since,
    mailLog: server.mailLog,
    policydLog: server.policydLog,
    deliver,
  });
  if (result.locked) {
    process.stderr.write(`zimbra-harden monitor: another run holds ${LOCK_PATH}; skipped\n`);
    return MONITOR_EXIT.nothing;
  }
  for (const w of result.warnings) ctx.out.error(w);
  ctx.out.event('summary', { mode: 'monitor', findings: result.findings.length, suppressed: result.suppressed, bytesRead: result.bytesRead, files: result.files, mailed: Boolean(delivered) });
  if (!quiet) {
    const read = `${(result.bytesRead / 1e6).toFixed(1)} MB read${result.files.length ? ` from ${result.files.join(', ')}` : ''}`;
    if (result.findings.length === 0) ctx.out.line(`No new findings (${read}${result.suppressed ? `; ${result.suppressed} already reported` : ''}).`);
    else if (delivered) ctx.out.line(`${result.findings.length} new finding${result.findings.length === 1 ? '' : 's'}, ${delivered} (${read}).`);
  }
  return result.findings.length > 0 ? MONITOR_EXIT.findings : MONITOR_EXIT.nothing;
}
