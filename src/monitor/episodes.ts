import { FindingDraft } from './finding-draft.js';
import { SlidingCount, SlidingDistinct } from './sliding.js';
import type { FindingType } from './types.js';

/** An episode ends after this long without a new event of its cause (log time). */
export const EPISODE_GAP_MS = 2 * 3600_000;
const FIRST_LINES = 3;
/** Distinct targets kept for an episode's burst (past this many, the exact number no longer matters). */
const RECENT_TARGETS = 1000;
/** A burst: what the last quarter of an hour holds, so that a start rule can fire within one cron interval. */
export const BURST_MS = 15 * 60_000;
const BURST_EVENTS = 256;

export interface EpisodeState {
  cause: string;
  start: number;
  last: number;
  window: [number, number][];
  lines: [number, string][];
  events: number;
  targets: number;
  mtas: string[];
  reported: boolean;
  /** Distinct targets of the burst, with when each was last seen. */
  recent?: [string, number][];
  /** Times of the burst's events. */
  burst?: number[];
}

interface Episode extends Omit<EpisodeState, 'window' | 'recent' | 'burst'> {
  window: SlidingCount;
  recent: SlidingDistinct;
  burst: number[];
  draft?: FindingDraft;
  targetSet: Set<string>;
}

/** What an unreported episode holds: events within the window, and within the burst (BURST_MS) with their distinct targets. */
export interface WindowCounts {
  events: number;
  burst: number;
  burstTargets: number;
}

export interface EpisodeRules {
  type: FindingType;
  windowMinutes: number;
  /** The reason line when what the window holds makes the episode worth reporting, else undefined. */
  starts(cause: string, window: WindowCounts): string | undefined;
  unit: string;
  /** The count of distinct targets (addresses bounced to, domains deferred to). */
  targetUnit: string;
  /** An unreported episode whose last event is older than this starts anew (its start and first lines are the new event's). */
  restartAfterMs: number;
}

/**
 * Events of one kind (deferrals, bounces) grouped by cause into episodes, each with its own
 * start, cause and end: a new episode opens when a cause comes back after EPISODE_GAP_MS of quiet
 * (or after the queue was emptied by hand), and is reported as soon as it passes its threshold,
 * whatever older episodes still do. Its finding's key holds the cause and the start, so the next
 * cron run continues the same finding and a later episode is a new one.
 */
export class Episodes {
  private readonly open = new Map<string, Episode>();
  readonly drafts: FindingDraft[] = [];
  private readonly windowMs: number;

  constructor(private readonly rules: EpisodeRules) {
    this.windowMs = rules.windowMinutes * 60_000;
  }

  event(t: number, cause: string, line: string, count: number, mta: string, target?: string): void {
    let e = this.open.get(cause);
    // Events that never made a report and are long past are no start: the episode starts anew.
    if (e && !e.draft && !e.reported && t - e.last > this.rules.restartAfterMs) e = undefined;
    if (!e || t - e.last > EPISODE_GAP_MS) {
      e = { cause, start: t, last: t, window: new SlidingCount(this.windowMs), recent: new SlidingDistinct(BURST_MS, RECENT_TARGETS), burst: [], lines: [], events: 0, targets: 0, mtas: [], reported: false, targetSet: new Set() };
      this.open.set(cause, e);
    }
    e.last = Math.max(e.last, t);
    e.window.add(t, count);
    e.events += count;
    if (mta && !e.mtas.includes(mta) && e.mtas.length < 20) e.mtas.push(mta);
    if (target !== undefined && e.targetSet.size < 100_000) {
      e.targetSet.add(target);
      e.targets = Math.max(e.targets, e.targetSet.size);
    }
    if (!e.draft) {
      if (e.lines.length < FIRST_LINES) e.lines.push([t, line]);
      if (target !== undefined) e.recent.add(t, target);
      e.burst = [...e.burst.filter((at) => at > t - BURST_MS), ...Array<number>(Math.min(count, BURST_EVENTS)).fill(t)].slice(-BURST_EVENTS);
      const reason = this.rules.starts(cause, { events: e.window.total, burst: e.burst.length, burstTargets: e.recent.count(t) });
      if (reason === undefined) return;
      this.draftOf(e, reason);
      return;
    }
    this.record(e, t, line);
  }

  /** A retry of something already counted: shown as still going, without opening or extending the episode. */
  again(t: number, cause: string, line: string): void {
    const e = this.open.get(cause);
    if (e?.draft && t - e.last <= EPISODE_GAP_MS) e.draft.see(t, line);
  }

  /** Every episode ends now (the queue was emptied by hand). */
  endAll(t: number, line: string): void {
    for (const e of this.open.values()) {
      if (e.draft) {
        e.draft.see(t, line);
        e.draft.notes.set('end', `ended ${new Date(t).toISOString()}: the deferred queue was emptied (postsuper -d)`);
      }
    }
    this.open.clear();
  }

  private draftOf(e: Episode, reason: string): void {
    const draft = new FindingDraft(this.rules.type, `${e.cause}, since ${new Date(e.start).toISOString()}`);
    draft.reasons.add(reason);
    for (const [t, line] of e.lines) draft.see(t, line);
    if (e.reported) draft.notes.set('continued', 'continues an episode already reported');
    e.reported = true;
    this.drafts.push(draft);
    e.draft = draft;
    this.record(e, e.last, '');
  }

  private record(e: Episode, t: number, line: string): void {
    const draft = e.draft!;
    if (line) draft.see(t, line);
    draft.counts[this.rules.unit] = e.events;
    draft.max('peakInWindow', e.window.total);
    if (e.targets > 0) draft.max(this.rules.targetUnit, e.targets);
    draft.mtas = e.mtas;
  }

  save(): EpisodeState[] {
    return [...this.open.values()].map((e) => ({
      cause: e.cause,
      start: e.start,
      last: e.last,
      window: e.window.buckets,
      lines: e.lines,
      events: e.events,
      targets: e.targets,
      mtas: e.mtas,
      reported: e.reported,
      recent: e.draft ? [] : [...e.recent.seen],
      burst: e.draft ? [] : e.burst,
    }));
  }

  load(states: EpisodeState[]): void {
    for (const s of states) {
      const window = new SlidingCount(this.windowMs);
      window.load(s.window);
      const recent = new SlidingDistinct(BURST_MS, RECENT_TARGETS);
      recent.load(Array.isArray(s.recent) ? s.recent : []);
      const burst = Array.isArray(s.burst) ? s.burst.filter((t) => typeof t === 'number') : [];
      this.open.set(s.cause, { ...s, window, recent, burst, targetSet: new Set() });
    }
  }
}
