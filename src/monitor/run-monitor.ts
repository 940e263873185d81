import { tryLock } from '../core/lock.js';
import { monitorSettings } from '../core/monitor-settings.js';
import type { MonitorSettings } from '../core/settings.js';
import type { Host } from '../host/host.js';
import { COMMON_PATHS } from '../zimbra/paths.js';
import { OwnAddresses } from './addresses.js';
import { Correlator, type CorrelatorState } from './correlator.js';
import { cursorAt, learningSteps, planReads, type Cursor, type ReadStep } from './cursor.js';
import { Detectors, type DetectorsState } from './detectors.js';
import { LineSplitter } from './line-splitter.js';
import { feedFile, logFamily } from './log-files.js';
import { addPending, MAX_PENDING, owed, settle } from './pending.js';
import { LOCK_PATH, loadState, saveState, STATE_PATH, type MonitorState } from './state.js';
import { YearTracker } from './timestamp.js';
import type { Finding } from './types.js';

/** A finding already reported is reported again only after this long. */
export const RENOTIFY_MS = 24 * 3600_000;

export interface MonitorOptions {
  host: Host;
  /** The server's mail domains (`zmprov -l gad`). */
  domains: readonly string[];
  /** The server's accounts (`zmprov -l gaa`), when known: only existing accounts are named in findings. */
  accounts?: readonly string[];
  /** Extra addresses or `@domains` that are ours (settings.monitor.ownAddresses). */
  ownAddresses?: readonly string[];
  /** The `monitor` settings section; defaults apply to what is missing. */
  settings?: Partial<MonitorSettings>;
  /** Recipients per hour that an account may send without being flagged (its allowance). */
  allowances?: Record<string, number>;
  /** Triage: re-scan everything since then (rotated files included); state is neither read nor written. */
  since?: Date;
  mailLog?: string;
  policydLog?: string;
  statePath?: string;
  lockPath?: string;
  /** Wall clock, for tests. */
  now?: Date;
  /**
   * Channels each new finding is owed to (mail, syslog, webhook; stdout when none is configured).
   * A finding stays in the state until every one of them took it.
   */
  channels?: readonly string[];
  /**
   * Hands the findings owed to each channel over (send, print) before the state is saved; returns
   * the channels that took theirs. Throwing records nothing: the next run finds them again.
   */
  deliver?: (owed: Map<string, Finding[]>, read: { bytesRead: number; files: string[] }) => Promise<string[]>;
  /** Read from the saved position and report, but take no lock and save nothing. */
  peek?: boolean;
}

export interface MonitorResult {
  /** Another run holds the lock: nothing was read. */
  locked: boolean;
  /** Findings not reported before (all findings with `since`). */
  findings: Finding[];
  /** Findings seen again but already reported within the last day. */
  suppressed: number;
  /** Findings handed to the channels (new ones and those owed from earlier runs). */
  owed: number;
  /** Findings still owed to a channel after this run. */
  pending: number;
  bytesRead: number;
  /** Server paths of the files read. */
  files: string[];
  warnings: string[];
}

/**
 * One monitor run: reads what is new in the mail log and cbpolicyd's log (or everything since
 * `since`), finds relaying, stolen accounts, quota hits, backscatter and a growing queue, and
 * returns the findings not reported before. Reporting them is the caller's job.
 */
export async function runMonitor(options: MonitorOptions): Promise<MonitorResult> {
  const { host } = options;
  const result: MonitorResult = { locked: false, findings: [], suppressed: 0, owed: 0, pending: 0, bytesRead: 0, files: [], warnings: [] };
  const triage = options.since !== undefined;
  const channels = options.channels ?? ['stdout'];
  // A peek must never make the cron run skip: it takes no lock (the state is replaced atomically).
  const lock = triage || options.peek ? undefined : await tryLock(host, options.lockPath ?? LOCK_PATH);
  if (!triage && !options.peek && !lock) return { ...result, locked: true };
  try {
    const settings = monitorSettings(options.settings);
    const statePath = options.statePath ?? STATE_PATH;
    const loaded = triage ? undefined : await loadState(host, statePath);
    if (loaded?.warning) result.warnings.push(loaded.warning);
    const state: MonitorState | undefined = loaded?.state;
    const own = new OwnAddresses(options.domains, [...(options.ownAddresses ?? []), ...settings.ownAddresses], options.accounts);
    const detectors = new Detectors(own, settings.thresholds, options.allowances ?? {}, options.since?.getTime() ?? 0);
    const correlator = new Correlator(own, detectors);
    if (state?.correlator && state.detectors) {
      try {
        correlator.load(state.correlator as CorrelatorState);
        detectors.load(state.detectors as DetectorsState);
      } catch {
        result.warnings.push('the saved correlation state did not fit; it was dropped');
      }
    }
    const splitter = new LineSplitter(correlator.line, undefined, undefined, correlator.finder);
    const cursors: MonitorState['cursors'] = { ...state?.cursors };
    for (const [name, path] of [['mail', options.mailLog ?? COMMON_PATHS.mailLog], ['policyd', options.policydLog ?? COMMON_PATHS.cbpolicydLog]] as const) {
      const family = await logFamily(host.resolve(path));
      if (name === 'mail' && family.length === 0) result.warnings.push(`${path} does not exist: is syslog writing Zimbra's mail log there?`);
      let steps: ReadStep[];
      if (triage) {
        steps = family.filter((f) => f.mtime.getTime() >= options.since!.getTime()).map((file) => ({ file, from: 0 }));
      } else {
        const plan = await planReads(family, cursors[name]);
        if (plan.lost) result.warnings.push(`lost the position in ${path} (rotated or truncated beyond recognition): reading it again from the start`);
        steps = plan.steps;
        // The first run learns from the rotated logs already on disk (usual volumes, networks, who was mailed) before it judges.
        if (!cursors[name]) steps = [...learningSteps(family, (options.now ?? new Date()).getTime()), ...steps];
      }
      let cursor: Cursor | undefined;
      for (const step of steps) {
        detectors.learning = step.learn === true;
        correlator.years = new YearTracker(step.file.mtime);
        splitter.reset();
        const end = await feedFile(step.file, step.from, splitter, (why) => result.warnings.push(serverPath(host, why)));
        result.bytesRead += Math.max(0, end - step.from);
        if (end > step.from) result.files.push(serverPath(host, step.file.hostPath));
        if (!step.learn) cursor = await cursorAt(step.file, end);
      }
      detectors.learning = false;
      if (cursor) cursors[name] = cursor;
    }
    correlator.finish(triage);
    const found = detectors.findings();
    if (triage || !state) {
      result.findings = found;
      result.owed = found.length;
      if (found.length > 0) await options.deliver?.(new Map(channels.map((c) => [c, found])), result);
      return result;
    }
    const now = (options.now ?? new Date()).getTime();
    const reported = pruneReported(state.reported, now);
    for (const f of found) {
      const last = reported[f.key];
      if (last !== undefined && now - Date.parse(last) < RENOTIFY_MS) {
        result.suppressed++;
        continue;
      }
      reported[f.key] = new Date(now).toISOString();
      result.findings.push(f);
    }
    const added = addPending(state.pending ?? [], result.findings, channels);
    if (added.dropped > 0) result.warnings.push(`${added.dropped} undelivered finding${added.dropped === 1 ? ' was' : 's were'} dropped (at most ${MAX_PENDING} are kept)`);
    const due = owed(added.pending);
    result.owed = added.pending.length;
    // Without a deliver callback the caller reports result.findings itself: nothing stays owed.
    const delivered = !options.deliver ? [...channels] : due.size > 0 ? await options.deliver(due, result) : [];
    const pending = settle(added.pending, delivered);
    result.pending = pending.length;
    if (options.peek) return result;
    await saveState(host, statePath, {
      version: state.version,
      savedAt: new Date(now).toISOString(),
      cursors,
      correlator: correlator.save(),
      detectors: detectors.save(),
      reported,
      pending,
    });
    return result;
  } finally {
    await lock?.release();
  }
}

function pruneReported(reported: Record<string, string>, now: number): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, when] of Object.entries(reported)) if (now - Date.parse(when) < RENOTIFY_MS) kept[key] = when;
  return kept;
}

function serverPath(host: Host, hostPath: string): string {
  if (host.root === '/' || !hostPath.startsWith(host.root)) return hostPath;
  return hostPath.slice(host.root.length) || '/';
}
