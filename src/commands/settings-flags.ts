import type { SettingFlags } from './flags.js';
import { UsageError } from '../errors.js';
import { monitorSchema, type CatchAll, type MonitorSettings, type Settings } from '../core/settings.js';
import { isAccountName } from '../zimbra/names.js';
import { checkSettings } from './settings-check.js';
import { CONTROLS } from '../controls/index.js';

export type { SettingFlags };

function parseCatchAll(value: string): CatchAll {
  const eq = value.indexOf('=');
  if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--catch-all ${JSON.stringify(value)}: expected DOMAIN=ACCOUNT, e.g. example.com=catchall@example.com`);
  return { domain: value.slice(0, eq).trim(), account: value.slice(eq + 1).trim() };
}

/** Settings given by flags only; undefined where no flag was given, so the config file can fill in. */
export function settingsFromFlags(flags: SettingFlags): Settings {
  const settings: Settings = {};
  if (flags.catchAll) settings.catchAll = flags.catchAll.map(parseCatchAll);
  if (flags.restart) settings.restart = flags.restart;
  if (flags.forceMtaRestriction) settings.forceMtaRestriction = true;
  const quota = quotaFromFlags(flags);
  if (quota) settings.quota = quota;
  if (flags.senderLoginMatch !== undefined) settings.senderLoginMatch = flags.senderLoginMatch;
  if (flags.webuiAllow) settings.webuiAllow = flags.webuiAllow.map((v) => v.trim());
  const monitor = monitorFromFlags(flags);
  if (monitor) settings.monitor = monitor as MonitorSettings; // defaults are filled when merged
  if (flags.skip) settings.skip = flags.skip;
  if (flags.only) settings.skip = skipAllBut(flags.only, flags.skip !== undefined);
  const problem = checkSettings(settings, true)[0];
  if (problem) throw new UsageError(`${problem.flag ?? problem.key}: ${problem.message}`);
  return settings;
}

/** `--only`: every control but these is skipped; the restart step still follows what they change. */
function skipAllBut(only: string[], withSkip: boolean): string[] {
  if (withSkip) throw new UsageError('--only and --skip together: give one of them');
  const ids = CONTROLS.map((c) => c.id);
  const unknown = only.find((id) => !ids.includes(id));
  if (unknown !== undefined) throw new UsageError(`--only ${unknown}: no such control (known: ${ids.join(', ')})`);
  return ids.filter((id) => !only.includes(id));
}

function wholeNumber(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a whole number`);
  return Number(value.trim());
}

function quotaFromFlags(flags: SettingFlags): Settings['quota'] {
  const quota: NonNullable<Settings['quota']> = {};
  if (flags.quota !== undefined) quota.limit = wholeNumber('--quota', flags.quota);
  if (flags.quotaPeriod !== undefined) quota.periodSeconds = wholeNumber('--quota-period', flags.quotaPeriod);
  if (flags.quotaStyle !== undefined) quota.style = flags.quotaStyle;
  return Object.keys(quota).length > 0 ? quota : undefined;
}

function monitorFromFlags(flags: SettingFlags): Partial<MonitorSettings> | undefined {
  const monitor: Partial<MonitorSettings> = {};
  if (flags.reportTo !== undefined) {
    if (!isAccountName(flags.reportTo.trim())) throw new UsageError(`--report-to ${JSON.stringify(flags.reportTo)}: expected an e-mail address`);
    monitor.reportTo = flags.reportTo.trim();
  }
  if (flags.monitorInterval !== undefined) {
    const minutes = wholeNumber('--monitor-interval', flags.monitorInterval);
    if (minutes < 1 || minutes > 59) throw new UsageError(`--monitor-interval ${minutes}: expected 1 to 59 minutes`);
    monitor.intervalMinutes = minutes;
  }
  if (flags.smtpHost !== undefined) monitor.smtpHost = flags.smtpHost.trim();
  if (flags.smtpPort !== undefined) {
    const port = wholeNumber('--smtp-port', flags.smtpPort);
    if (port < 1 || port > 65535) throw new UsageError(`--smtp-port ${port}: expected 1 to 65535`);
    monitor.smtpPort = port;
  }
  if (flags.smtpSecurity !== undefined) monitor.smtpSecurity = flags.smtpSecurity;
  if (flags.smtpUser !== undefined) monitor.smtpUser = flags.smtpUser.trim();
  if (flags.smtpPasswordFile !== undefined) monitor.smtpPasswordFile = flags.smtpPasswordFile.trim();
  if (flags.syslog !== undefined) monitor.syslog = flags.syslog;
  if (flags.webhookUrl !== undefined) monitor.webhookUrl = flags.webhookUrl.trim();
  return Object.keys(monitor).length > 0 ? monitor : undefined;
}

/** Flag > config file, key by key (inside `quota` too, so --quota-period keeps the configured limit). */
export function mergeSettings(config: Settings, flags: Settings): Settings {
  const merged: Settings = { ...config };
  for (const [key, value] of Object.entries(flags) as [keyof Settings, unknown][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (config.quota && flags.quota) merged.quota = { ...config.quota, ...flags.quota };
  if (flags.monitor) {
    merged.monitor = monitorSchema.parse({ ...config.monitor, ...flags.monitor });
    const problem = checkSettings({ monitor: merged.monitor })[0];
    if (problem) throw new UsageError(`${problem.flag ?? problem.key}: ${problem.message}`);
  }
  return merged;
}
