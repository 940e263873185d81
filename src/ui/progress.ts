import chalk from 'chalk';
import type { ApplyEvent, Reporter } from '../core/events.js';
import type { Output } from './output.js';
import { sanitize } from './output.js';
import { itemJson } from './render-items.js';

interface Spinner {
  text: string;
  start(): Spinner;
  stop(): Spinner;
}

/**
 * Reports apply progress: JSON events, plain lines, and on a terminal a spinner with the elapsed
 * time (a restart can take minutes).
 */
export async function createReporter(out: Output, terminal: boolean): Promise<Reporter> {
  const ora = terminal && !out.json ? (await import('ora')).default : undefined;
  let spinner: Spinner | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => {
    if (timer) clearInterval(timer);
    spinner?.stop();
    spinner = undefined;
  };
  return (event: ApplyEvent) => {
    if (event.type === 'verify') {
      stop();
      out.event('verify', { ok: event.ok, message: event.message, evidence: event.evidence });
      if (event.ok) return out.line(`${chalk.green('verified')} ${sanitize(event.message)}`);
      out.problem(`${chalk.red('NOT verified')} ${sanitize(event.message)}`);
      for (const line of event.evidence) out.problem(chalk.gray(`         ${sanitize(line)}`));
      return;
    }
    const item = itemJson(event.item);
    const label = `${event.item.control} ${sanitize(event.item.subject)}`;
    if (event.type === 'apply_start') {
      out.event('apply_start', item);
      if (!ora) return out.line(`${chalk.cyan('...')}     ${label}`);
      stop();
      const started = Date.now();
      const s: Spinner = ora({ text: label }).start();
      spinner = s;
      timer = setInterval(() => (s.text = `${label} ${chalk.gray(`(${Math.round((Date.now() - started) / 1000)}s)`)}`), 1000);
      return;
    }
    stop();
    if (event.type === 'apply_complete') {
      out.event('apply_complete', { ...item, notes: event.notes });
      out.line(`${chalk.yellow('changed')} ${label}`);
      for (const note of event.notes) out.line(chalk.gray(`         ${sanitize(note)}`));
    } else {
      out.event('apply_errored', { ...item, error: event.error });
      out.problem(`${chalk.red('failed')}  ${label}: ${sanitize(event.error)}`);
    }
  };
}
