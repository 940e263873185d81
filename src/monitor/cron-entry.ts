import { Cron } from 'croner';
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countProblem, SETTINGS } from '../core/options.js';
import { UsageError } from '../errors.js';
import type { ReadHost } from '../host/host.js';

/** The cron file the monitor is run from (a name without dots: cron ignores those). */
export const CRON_FILE = '/etc/cron.d/zimbra-harden';
export const CRON_MARKER = '# zimbra-harden: monitor';

const FIELD = /^(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?)*$/;

/** `*\/N * * * *` for a run every N minutes (monitor.intervalMinutes: 1–59). */
export function cronSchedule(intervalMinutes: number): string {
  const problem = countProblem(SETTINGS.monitor.intervalMinutes, intervalMinutes);
  if (problem) throw new UsageError(`the monitor interval: ${problem}`);
  return intervalMinutes === 1 ? '* * * * *' : `*/${intervalMinutes} * * * *`;
}

/** Exactly five numeric fields that croner also accepts (croner alone would take 6-7 fields, L and #). */
export function checkSchedule(schedule: string): string {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((f) => FIELD.test(f))) {
    throw new UsageError(`cron schedule ${JSON.stringify(schedule)}: need exactly 5 numeric fields (minute hour day month weekday)`);
  }
  try {
    new Cron(fields.join(' '), { paused: true }).stop();
  } catch (error) {
    throw new UsageError(`cron schedule ${JSON.stringify(schedule)}: ${(error as Error).message}`);
  }
  return fields.join(' ');
}

/** A path for a cron command line (run by /bin/sh): single-quoted; refused if it could break out. */
export function shellQuote(path: string): string {
  if (!path.startsWith('/')) throw new UsageError(`${JSON.stringify(path)}: the cron line needs an absolute path`);
  if (/['\n\r%\0]/.test(path)) throw new UsageError(`${JSON.stringify(path)}: a path with a quote, a line break or % cannot go into a cron line`);
  return `'${path}'`;
}

export interface CronEntry {
  schedule: string;
  /** Absolute path of node (process.execPath). */
  nodePath: string;
  /** Absolute path of the installed dist/cli.js. */
  cliPath: string;
  /** `--root DIR` of a sandbox, carried into the line. */
  root?: string;
  /** `--config FILE`, when not the default. */
  config?: string;
}

/** The command part of the cron line: works in cron's bare environment (absolute paths, no PATH needed). */
export function cronCommand(entry: CronEntry): string {
  const parts = [shellQuote(entry.nodePath), shellQuote(entry.cliPath)];
  if (entry.root && entry.root !== '/') parts.push('--root', shellQuote(entry.root));
  if (entry.config) parts.push('--config', shellQuote(entry.config));
  parts.push('monitor', '--quiet');
  return parts.join(' ');
}

/** What a cron line runs: this Node, this CLI, under this root (undefined on a real server). */
export interface CronRunner {
  nodePath: string;
  cliPath: string;
  root?: string;
}

export function cronRunner(host: ReadHost): CronRunner {
  return { nodePath: process.execPath, cliPath: installedCliPath(), root: host.simulated ? host.root : undefined };
}

/**
 * The cron file that runs `runner`'s monitor every `intervalMinutes`, reading `config`
 * (undefined: the default config file). `cron install|show` and the monitor-cron control both
 * build it here, so what apply installs is what `cron show` calls ours.
 */
export function monitorCronFile(runner: CronRunner, intervalMinutes: number, config: string | undefined): string {
  return cronFileContent({ schedule: cronSchedule(intervalMinutes), ...runner, config });
}

/** The whole of /etc/cron.d/zimbra-harden: marker, environment, one line, trailing newline. */
export function cronFileContent(entry: CronEntry): string {
  return [
    CRON_MARKER,
    '# Written by zimbra-harden; remove with: zimbra-harden cron remove',
    'SHELL=/bin/sh',
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    `${checkSchedule(entry.schedule)} root ${cronCommand(entry)}`,
    '',
  ].join('\n');
}

export interface CronFileState {
  mode: number;
  uid: number;
  isFile: boolean;
}

/**
 * Why cron would skip the file, or undefined: cron (Debian's and cronie) ignores a file in
 * /etc/cron.d that is not a regular file owned by root or that its group or others can write,
 * and a root job anyone can edit would be a way to root. `rootUid` is 0 except in a sandbox.
 */
export function cronFileProblem(state: CronFileState, rootUid = 0): string | undefined {
  const problems: string[] = [];
  if (!state.isFile) problems.push('is not a regular file');
  if (state.uid !== rootUid) problems.push(`is owned by uid ${state.uid}, not root`);
  if (state.mode & 0o022) problems.push(`has mode ${(state.mode & 0o7777).toString(8).padStart(4, '0')} (${state.mode & 0o002 ? 'anyone' : 'its group'} can change the root job)`);
  return problems.length > 0 ? `${CRON_FILE} ${problems.join(' and ')}: cron skips it` : undefined;
}

/** Who stands for root: root itself on a server; on a simulated one, whoever owns its folder. */
export async function rootOwner(host: ReadHost): Promise<{ uid: number; gid: number }> {
  if (!host.simulated) return { uid: 0, gid: 0 };
  const top = await host.stat('/');
  return { uid: top?.uid ?? 0, gid: top?.gid ?? 0 };
}

export interface InstalledCronFile {
  /** undefined: not installed. */
  content?: string;
  /** Who must own it (root, or the sandbox's owner). */
  owner: { uid: number; gid: number };
  /** Why cron would skip it, or undefined. */
  unsafe?: string;
}

/** The cron file as it is now: what it holds and whether cron would run it. */
export async function installedCronFile(host: ReadHost): Promise<InstalledCronFile> {
  const content = await host.readFile(CRON_FILE);
  const owner = await rootOwner(host);
  const info = content === undefined ? undefined : await host.stat(CRON_FILE);
  return { content, owner, unsafe: info && cronFileProblem(info, owner.uid) };
}

/**
 * Absolute path of the installed CLI: the running dist/cli.js when that is what runs (through the
 * npm bin symlink too), else the cli.js beside this bundle (dist/ or dist/chunks/).
 */
export function installedCliPath(argv1 = process.argv[1], moduleUrl = import.meta.url): string {
  if (argv1) {
    try {
      const real = realpathSync(argv1);
      if (basename(real) === 'cli.js') return real;
    } catch {
      // not a file: fall through
    }
  }
  let dir = dirname(fileURLToPath(moduleUrl));
  if (basename(dir) === 'chunks') dir = dirname(dir);
  return join(dir, 'cli.js');
}
