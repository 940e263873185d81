import { fileDiff } from '../core/diff.js';
import { monitorSchema } from '../core/settings.js';
import type { Control, Item } from '../core/types.js';
import { CRON_FILE, cronRunner, installedCronFile, monitorCronFile, type CronRunner, type InstalledCronFile } from '../monitor/cron-entry.js';

export const MONITOR_CRON = 'monitor-cron';

export interface MonitorCronFacts {
  runner: CronRunner;
  /** The cron file as it is (undefined content: not installed), its owner and why cron would skip it. */
  installed: InstalledCronFile;
}

/**
 * The log monitor runs from /etc/cron.d/zimbra-harden (not the zimbra crontab, which upgrades
 * rewrite). The file is ours entirely: it is right when it holds exactly the wanted content.
 */
export const monitorCronControl: Control<MonitorCronFacts> = {
  id: MONITOR_CRON,
  title: 'Log monitor run from cron',

  reads() {
    return [];
  },

  async gather({ host }) {
    return { runner: cronRunner(host), installed: await installedCronFile(host) };
  },

  plan({ runner, installed }, { settings, configPath }) {
    const base = { control: MONITOR_CRON, subject: CRON_FILE, actions: [], restart: [] };
    if (!settings.monitor) {
      return [{ ...base, status: 'skip', message: 'the log monitor is not configured (monitor.reportTo, monitor.intervalMinutes)' } satisfies Item];
    }
    const monitor = monitorSchema.parse(settings.monitor);
    const want = monitorCronFile(runner, monitor.intervalMinutes, configPath);
    const { content: have, owner, unsafe } = installed;
    const every = `every ${monitor.intervalMinutes} min`;
    if (have === want && !unsafe) return [{ ...base, status: 'ok', message: `the monitor runs ${every}` }];
    const message = have === undefined ? `run the monitor ${every}` : have === want ? `${unsafe}; make it 0644 root:root` : `rewrite the monitor's cron entry (${every})`;
    return [
      {
        ...base,
        status: 'change',
        severity: 'warning',
        message,
        actions: [{ kind: 'write-file', path: CRON_FILE, content: want, diff: fileDiff(CRON_FILE, have ?? '', want), mode: 0o644, owner, backup: false }],
        ...(unsafe && have !== want ? { details: [`${unsafe}; it is written again 0644 root:root`] } : {}),
      },
    ];
  },
};
