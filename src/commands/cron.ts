import { fileDiff } from '../core/diff.js';
import { loadConfig } from './config-file.js';
import { countProblem, SETTINGS } from '../core/options.js';
import { monitorSchema } from '../core/settings.js';
import { UsageError } from '../errors.js';
import { CRON_FILE, cronRunner, installedCronFile, monitorCronFile } from '../monitor/cron-entry.js';
import { consentToChange } from './consent.js';
import type { Context } from './context.js';

export interface CronInstallFlags {
  interval?: string;
  dryRun?: boolean;
}

async function wantedContent(ctx: Context, interval: string | undefined): Promise<string> {
  const settings = await loadConfig(ctx.configPath);
  const minutes = interval === undefined ? monitorSchema.parse(settings.monitor ?? {}).intervalMinutes : intervalFlag(interval);
  return monitorCronFile(cronRunner(ctx.host), minutes, ctx.options.config ? ctx.configPath : undefined);
}

/** `--interval`: monitor.intervalMinutes for this command, with that setting's range. */
function intervalFlag(value: string): number {
  const option = SETTINGS.monitor.intervalMinutes;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--interval ${JSON.stringify(value)}: expected a whole number of minutes (${option.min}-${option.max})`);
  const problem = countProblem(option, Number(value));
  if (problem) throw new UsageError(`--interval: ${problem}`);
  return Number(value);
}

/** `cron install`: writes /etc/cron.d/zimbra-harden (idempotent: an identical file is left alone). */
export async function runCronInstall(ctx: Context, flags: CronInstallFlags): Promise<number> {
  const want = await wantedContent(ctx, flags.interval);
  const { content: have, owner, unsafe } = await installedCronFile(ctx.host);
  if (unsafe) ctx.out.line(`${unsafe}; writing it again 0644 root:root`);
  if (have === want && !unsafe) {
    ctx.out.event('cron', { path: CRON_FILE, status: 'ok' });
    ctx.out.line(`ok: ${CRON_FILE} is already up to date`);
    return 0;
  }
  if (flags.dryRun) {
    ctx.out.event('cron', { path: CRON_FILE, status: 'change', diff: fileDiff(CRON_FILE, have ?? '', want) });
    ctx.out.line(`would write ${CRON_FILE}:`);
    ctx.out.line(fileDiff(CRON_FILE, have ?? '', want));
    return 0;
  }
  if (!(await consentToChange(ctx, `Write ${CRON_FILE} (the monitor then runs from cron as root)?`))) {
    ctx.out.line('Nothing was changed.');
    return 0;
  }
  await ctx.host.mkdir('/etc/cron.d');
  await ctx.host.writeFileAtomic(CRON_FILE, want, { mode: 0o644, ...owner });
  ctx.out.event('cron', { path: CRON_FILE, status: 'changed' });
  ctx.out.line(`changed: ${CRON_FILE} written; the monitor runs from cron as root`);
  return 0;
}

/** `cron remove`: deletes the file (nothing to do when it is not there). */
export async function runCronRemove(ctx: Context): Promise<number> {
  const existed = (await ctx.host.stat(CRON_FILE)) !== undefined;
  if (existed && !(await consentToChange(ctx, `Remove ${CRON_FILE} (the monitor stops running)?`))) {
    ctx.out.line('Nothing was changed.');
    return 0;
  }
  if (existed) await ctx.host.remove(CRON_FILE);
  ctx.out.event('cron', { path: CRON_FILE, status: existed ? 'removed' : 'absent' });
  ctx.out.line(existed ? `removed ${CRON_FILE}` : `ok: ${CRON_FILE} was not installed`);
  return 0;
}

/** `cron show`: the wanted entry and whether the installed file matches it. */
export async function runCronShow(ctx: Context, flags: CronInstallFlags): Promise<number> {
  const want = await wantedContent(ctx, flags.interval);
  const have = await ctx.host.readFile(CRON_FILE);
  const status = have === undefined ? 'absent' : have === want ? 'ok' : 'differs';
  ctx.out.event('cron', { path: CRON_FILE, status, content: want });
  // -q: silent while the installed entry is the wanted one.
  const say = status === 'ok' ? ctx.out.line : ctx.out.problem;
  say(`${CRON_FILE}: ${status === 'ok' ? 'installed and up to date' : status === 'absent' ? 'not installed' : 'installed, but not what zimbra-harden would write'}`);
  say(want.trimEnd());
  return 0;
}
