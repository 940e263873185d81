import type { MonitorSettings } from '../core/settings.js';
import type { Host } from '../host/host.js';
import { sendReport, smtpTarget } from './mailer.js';
import { renderReport, reportBlocks, reportSubject, summaryLine, type ReportMeta } from './report.js';
import { findingJson } from './finding-json.js';
import { cleanLine } from './sanitize.js';
import type { Finding } from './types.js';

/** Where reports go besides stdout. */
export interface ReportChannel {
  name: 'mail' | 'syslog' | 'webhook';
  /** Where it goes, without secrets: "admin@example.com through 127.0.0.1:25", "/dev/log", a URL's origin. */
  target: string;
  send(findings: Finding[], meta: ReportMeta): Promise<void>;
}

/** A channel that could not take the report; the message is one line and holds no secret. */
export class DeliveryError extends Error {
  constructor(
    readonly channel: string,
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export const SYSLOG_SOCKET = '/dev/log';
const TIMEOUT_MS = 15_000;

function reason(error: unknown): string {
  return cleanLine(error instanceof Error ? error.message : String(error), 200);
}

/** The channels the settings turn on: mail (reportTo), syslog, webhook. */
export function reportChannels(host: Host, monitor: MonitorSettings, hostname: string): ReportChannel[] {
  const channels: ReportChannel[] = [];
  const to = monitor.reportTo;
  if (to) {
    const through = smtpTarget(monitor);
    channels.push({
      name: 'mail',
      target: `${to} through ${through}`,
      async send(findings, meta) {
        const auth = monitor.smtpUser ? { user: monitor.smtpUser, pass: await readPassword(host, monitor.smtpPasswordFile) } : undefined;
        try {
          await sendReport(
            { smtpHost: monitor.smtpHost, smtpPort: monitor.smtpPort, security: monitor.smtpSecurity, auth, to, from: monitor.reportFrom ?? `root@${hostname}` },
            reportSubject(findings, meta.hostname),
            renderReport(findings, meta),
          );
        } catch (error) {
          throw new DeliveryError('mail', `could not mail the report to ${to} through ${through}: ${reason(error)}`);
        }
      },
    });
  }
  if (monitor.syslog) {
    channels.push({
      name: 'syslog',
      target: SYSLOG_SOCKET,
      send: (findings, meta) => sendSyslog(host, monitor.syslogFacility, findings, meta),
    });
  }
  if (monitor.webhookUrl) {
    const url = monitor.webhookUrl;
    channels.push({ name: 'webhook', target: new URL(url).origin, send: (findings, meta) => postWebhook(url, findings, meta) });
  }
  return channels;
}

async function readPassword(host: Host, path: string | undefined): Promise<string> {
  const text = path === undefined ? undefined : await host.readFile(path).catch(() => undefined);
  const password = text?.split(/\r?\n/)[0];
  if (!password) throw new DeliveryError('mail', `could not mail the report: the smarthost password file ${path ?? '(monitor.smtpPasswordFile)'} is missing, unreadable or empty`);
  return password;
}

/**
 * One syslog message per account or finding, through the system's `logger` (util-linux) to
 * /dev/log under the server root. No log text: only names, counts and commands, so a facility
 * that ends up in the mail log cannot feed the monitor its own report.
 */
async function sendSyslog(host: Host, facility: string, findings: Finding[], meta: ReportMeta): Promise<void> {
  const socket = host.resolve(SYSLOG_SOCKET);
  const lines = reportBlocks(findings).map((b) => summaryLine(b));
  const result = await host.exec('logger', ['--socket', socket, '--socket-errors=on', '--tag', 'zimbra-harden', '--priority', `${facility}.warning`, '--skip-empty'], {
    input: `${lines.map((l) => `${cleanLine(meta.hostname, 100)}: ${l}`).join('\n')}\n`,
    timeoutMs: TIMEOUT_MS,
  });
  if (result.exitCode !== 0) {
    const why = cleanLine(result.stderr.split('\n').find((l) => l.trim()) ?? `logger exited ${result.exitCode}`, 200);
    throw new DeliveryError('syslog', `could not write the report to syslog through ${SYSLOG_SOCKET}: ${why}`);
  }
}

/** POST the report as JSON; `text` makes it readable in Slack and Mattermost as it is. */
async function postWebhook(url: string, findings: Finding[], meta: ReportMeta): Promise<void> {
  const origin = new URL(url).origin;
  const subject = reportSubject(findings, meta.hostname);
  const body = {
    text: [subject, ...reportBlocks(findings).map((b) => `- ${summaryLine(b)}`)].join('\n'),
    host: meta.hostname,
    subject,
    findings: findings.map(findingJson),
    report: renderReport(findings, meta),
  };
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'zimbra-harden' },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    throw new DeliveryError('webhook', `could not post the report to ${origin}: ${reason(cause ?? error)}`);
  }
  await response.body?.cancel();
  if (!response.ok) throw new DeliveryError('webhook', `could not post the report to ${origin}: HTTP ${response.status} ${cleanLine(response.statusText, 80)}`);
}
