import chalk from 'chalk';
import type { Recap } from '../core/engine.js';
import { describeRun } from '../core/restart.js';
import type { Action, Item, Status } from '../core/types.js';
import { sanitize, type Output } from './output.js';

const LABEL: Record<Status, string> = { ok: 'ok', change: 'change', skip: 'skip', fail: 'fail' };
const COLOR: Record<Status, (s: string) => string> = { ok: chalk.green, change: chalk.yellow, skip: chalk.gray, fail: chalk.red };

export type Mode = 'plan' | 'audit' | 'apply';

export function describeAction(action: Action): string {
  switch (action.kind) {
    case 'zmprov':
      return `zmprov ${action.argv.map((a) => (/[\s"']/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ')}`;
    case 'write-file':
      return `write ${action.path}${action.backup ? ' (after a backup)' : ''}${action.validate ? `, checked with ${action.validate === 'php-lint' ? 'php -l' : 'apachectl -t'}` : ''}`;
    case 'remove-file':
      return `remove ${action.path}`;
    case 'run':
      return describeRun(action);
    case 'sql':
      return `${action.description} (${action.database})`;
  }
}

/** Item as JSON: everything but file contents (diffs carry the change, redacted). */
export function itemJson(item: Item): Record<string, unknown> {
  return {
    id: item.control,
    subject: item.subject,
    status: item.status,
    severity: item.severity,
    message: item.message,
    actions: item.actions.map((a) => {
      const { content: _content, ...rest } = a as Action & { content?: string };
      return { ...rest, describe: describeAction(a) };
    }),
    restart: item.restart,
    details: item.details,
  };
}

export function renderItems(out: Output, items: readonly Item[], mode: Mode): void {
  const width = Math.max(...items.map((i) => i.control.length));
  for (const item of items) {
    if (out.json) {
      out.event(mode === 'audit' ? 'audit_finding' : 'planned_change', itemJson(item));
      continue;
    }
    const status = COLOR[item.status](LABEL[item.status].padEnd(6));
    out.line(`${status} ${chalk.bold(item.control.padEnd(width))}  ${sanitize(item.subject)}`);
    out.line(`       ${' '.repeat(width)}  ${sanitize(item.message)}`);
    const indent = ' '.repeat(width + 9);
    for (const detail of item.details ?? []) out.line(chalk.gray(`${indent}${sanitize(detail)}`));
    if (mode === 'audit') continue;
    for (const action of item.actions) {
      out.line(`${indent}${chalk.cyan(mode === 'plan' ? 'would run:' : 'will run:')} ${sanitize(describeAction(action))}`);
      if (action.kind === 'write-file') {
        for (const line of action.diff.trimEnd().split('\n')) out.line(indent + colorDiff(sanitize(line)));
      }
    }
  }
}

function colorDiff(line: string): string {
  if (line.startsWith('+') && !line.startsWith('+++')) return chalk.green(line);
  if (line.startsWith('-') && !line.startsWith('---')) return chalk.red(line);
  if (line.startsWith('@@')) return chalk.cyan(line);
  return line;
}

export function recapLine(r: Recap, mode: Mode): string {
  const verb = mode === 'apply' ? 'changed' : mode === 'audit' ? 'drift' : 'to change';
  return `${mode === 'apply' ? 'Applied' : mode === 'audit' ? 'Audit' : 'Plan'}: ok=${r.ok} ${verb}=${r.changed} skipped=${r.skipped} failed=${r.failed}`;
}
