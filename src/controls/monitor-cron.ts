import { fileDiff } from '../core/diff.js';
import { monitorSchema } from '../core/settings.js';
import type { Control, Item } from '../core/types.js';
import { CRON_FILE, cronFileContent, cronSchedule, installedCliPath } from '../monitor/cron-entry.js';

export const MONITOR_CRON = 'monitor-cron';

/**
 * The log monitor runs from /etc/cron.d/zimbra-harden (not the zimbra crontab, which upgrades
 * rewrite). The file is ours entirely: it is right when it holds exactly the wanted content.
 */
export const monitorCronControl: Control = {
  id: MONITOR_CRON,
  title: 'Log monitor run from cron',

  reads() {
    return [];
  },

  async check({ host, settings, configPath }) {
    const base = { control: MONITOR_CRON, subject: CRON_FILE, actions: [], restart: [] };
    if (!settings.monitor) {
      return [{ ...base, status: 'skip', message: 'the log monitor is not configured (monitor.reportTo, monitor.intervalMinutes)' } satisfies Item];
    }
    const monitor = monitorSchema.parse(settings.monitor);
    const want = cronFileContent({
      schedule: cronSchedule(monitor.intervalMinutes),
      nodePath: process.execPath,
      cliPath: installedCliPath(),
      root: host.root === '/' ? undefined : host.root,
      config: configPath,
    });
    const have = await host.readFile(CRON_FILE);
    const every = `every ${monitor.intervalMinutes} min`;
    if (have === want) return [{ ...base, status: 'ok', message: `the monitor runs ${every}` }];
    return [
      {
        ...base,
        status: 'change',
        severity: 'warning',
        message: have === undefined ? `run the monitor ${every}` : `rewrite the monitor's cron entry (${every})`,
        actions: [{ kind: 'write-file', path: CRON_FILE, content: want, diff: fileDiff(CRON_FILE, have ?? '', want), mode: 0o644, backup: false }],
      },
    ];
  },
};
