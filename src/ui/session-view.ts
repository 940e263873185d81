/** How an apply session looks: the plan, progress, the recap, as text or JSON lines. */
import chalk from 'chalk';
import type { ApplyOutcome } from '../core/apply.js';
import { recap, type Observation, type Recap } from '../core/engine.js';
import type { SessionView } from '../core/session.js';
import type { Item } from '../core/types.js';
import type { Host } from '../host/host.js';
import { formatVersion } from '../zimbra/version.js';
import type { Output } from './output.js';
import { createReporter } from './progress.js';
import { plural, recapLine, renderItems, type Mode } from './render-items.js';

/** Where the plan was read: a simulated host is named by its root. */
export type ServerPlace = Pick<Host, 'root' | 'simulated'>;

/** Prints the server line and every item; returns the counts. */
export function showObservation(out: Output, place: ServerPlace, obs: Observation, mode: Mode): Recap {
  out.event('server', { zimbraVersion: formatVersion(obs.env.version), release: obs.env.version.raw, hostname: obs.env.hostname, mtaServers: obs.env.mtaServers.map((s) => s.name) });
  out.line(chalk.bold(`ZCS ${formatVersion(obs.env.version)} on ${obs.env.hostname}${place.simulated ? ` (root ${place.root})` : ''}`));
  out.line();
  renderItems(out, obs.items, mode);
  out.line();
  return recap(obs.items);
}

/** "Apply this change to HOST?" or "Apply these N changes to HOST?" */
export function applyQuestion(changes: number, hostname: string): string {
  return `Apply ${changes === 1 ? 'this change' : `these ${plural(changes, 'change')}`} to ${hostname}?`;
}

export interface SessionViewOptions {
  place: ServerPlace;
  /** A terminal: progress with a spinner. */
  interactive: boolean;
  /** 'plan': the wizard's closing plan, under a title and with the plan's recap line; 'apply' otherwise. */
  show?: 'apply' | 'plan';
}

const ref = (i: Item) => `${i.control} ${i.subject}`;
const refJson = (i: Item) => ({ id: i.control, subject: i.subject });

export function createSessionView(out: Output, options: SessionViewOptions): SessionView {
  return {
    plan(obs) {
      if (options.show !== 'plan') return showObservation(out, options.place, obs, 'apply');
      out.line(chalk.bold('The plan'));
      const planned = showObservation(out, options.place, obs, 'plan');
      out.line(recapLine(planned, 'plan'));
      return planned;
    },

    nothingToApply(obs, planned) {
      if (planned.failed > 0) {
        const reasons = obs.items.filter((i) => i.status === 'fail').map((i) => `${ref(i)}: ${i.message}`);
        out.error(`nothing was changed: ${reasons.join('; ')}`);
      } else {
        out.line(chalk.green('Nothing to do: every step already holds.'));
        out.line(recapLine(planned, 'apply'));
      }
      out.event('summary', { mode: 'apply', ...planned, changed: 0 });
    },

    declined() {
      out.line('Nothing was changed.');
    },

    reporter() {
      return createReporter(out, options.interactive);
    },

    finished(command, planned, outcome: ApplyOutcome) {
      const r = { ...planned, changed: outcome.applied.length, failed: outcome.failed.length };
      out.line();
      if (outcome.failed.length > 0 || outcome.verified === false) out.problem(recapLine(r, 'apply'));
      else out.line(recapLine(r, 'apply'));
      if (outcome.failed.length > 0 || outcome.notApplied.length > 0) {
        const applied = outcome.applied.map(ref).join(', ') || 'nothing';
        const notApplied = [...outcome.failed.map((f) => f.item), ...outcome.notApplied].map(ref).join(', ');
        out.error(`${command} stopped: applied ${applied}; not applied: ${notApplied}. Fix the cause and run ${command} again: it picks up where it stopped.`);
      } else if (outcome.verified === false) {
        out.error('the changes were applied but verification failed (evidence above)');
      }
      out.event('summary', {
        mode: 'apply',
        ...r,
        applied: outcome.applied.map(refJson),
        notApplied: outcome.notApplied.map(refJson),
        verified: outcome.verified ?? null,
      });
    },

    notSaved(path, error) {
      out.error(`the server is as reported above, but the settings could not be saved to ${path} (${error.message}); until it is writable, give the same flags again next time`);
    },
  };
}
