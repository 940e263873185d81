import chalk from 'chalk';
import type { Recap } from '../core/engine.js';
import { describeRun } from '../core/restart.js';
import type { Action, Item, Status } from '../core/types.js';
import { sanitize, type Output } from './output.js';
import { hangingIndent } from './wrap.js';

export type Mode = 'plan' | 'audit' | 'apply';

/** An item's status as a word: what a plan would change is drift in an audit. */
export function statusWord(status: Status, mode: Mode): string {
  return status === 'change' && mode === 'audit' ? 'drift' : status;
}

const COLOR: Record<Status, (s: string) => string> = { ok: chalk.green, change: chalk.yellow, skip: chalk.gray, fail: chalk.red, needs: chalk.yellow };
const STATUS_COLUMNS = Math.max(...['ok', 'change', 'drift', 'skip', 'fail', 'needs'].map((s) => s.length));

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
    case 'policyd-rows':
      return `${action.description} (${action.database})`;
  }
}

/** An action as JSON: the command line as an argument array when it runs one, and a description; never file contents. */
export function actionJson(action: Action): Record<string, unknown> {
  const description = describeAction(action);
  switch (action.kind) {
    case 'zmprov':
      return { kind: action.kind, argv: ['zmprov', ...action.argv], description };
    case 'run':
      return { kind: action.kind, argv: [action.command, ...action.args], user: action.user, input: action.input, description };
    case 'write-file':
      return { kind: action.kind, path: action.path, diff: action.diff, mode: action.mode, validate: action.validate, backup: action.backup, description };
    case 'remove-file':
      return { kind: action.kind, path: action.path, description };
    case 'policyd-rows':
      // Named as in JSON schema 2.x; the rows themselves are not part of the JSON.
      return { kind: 'sql', database: action.database, executor: 'cbpolicyd-quota-rows', description };
  }
}

/** The severity of an item: its own, else none when nothing is wrong, warning for a change or a missing setting, error for a failure. */
export function severityOf(item: Item): 'none' | 'suggestion' | 'warning' | 'error' {
  if (item.severity) return item.severity;
  return item.status === 'fail' ? 'error' : item.status === 'change' || item.status === 'needs' ? 'warning' : 'none';
}

/** Item as JSON (docs/json.md): everything but file contents (diffs carry the change, redacted). */
export function itemJson(item: Item, mode: Mode = 'plan'): Record<string, unknown> {
  return {
    id: item.control,
    subject: item.subject,
    status: statusWord(item.status, mode),
    severity: severityOf(item),
    message: item.message,
    actions: item.actions.map(actionJson),
    restart: item.restart,
    details: item.details ?? [],
  };
}

/** Whether -q still shows an item: failures and missing settings always; what would change (plan) or drifted (audit) too. */
function isProblem(item: Item, mode: Mode): boolean {
  return item.status === 'fail' || item.status === 'needs' || (item.status === 'change' && mode !== 'apply');
}

export function renderItems(out: Output, items: readonly Item[], mode: Mode): void {
  if (out.json) {
    for (const item of items) out.event(mode === 'audit' ? 'audit_finding' : 'planned_change', itemJson(item, mode));
    return;
  }
  const idColumns = Math.max(0, ...items.map((i) => i.control.length));
  const indent = ' '.repeat(hangingIndent(STATUS_COLUMNS + 1 + idColumns + 2, out.width));
  const headIndent = ' '.repeat(STATUS_COLUMNS + 1 + idColumns + 2);
  for (const item of items) {
    if (out.quiet && !isProblem(item, mode)) continue;
    const word = statusWord(item.status, mode);
    const head = `${COLOR[item.status](word.padEnd(STATUS_COLUMNS))} ${chalk.bold(item.control.padEnd(idColumns))}  `;
    const subject = sanitize(item.subject);
    // On a narrow terminal a subject that does not fit after the id gets a line of its own.
    if (out.width !== undefined && indent.length < headIndent.length && headIndent.length + subject.length > out.width) {
      out.problem(head.trimEnd());
      out.wrapped(indent, subject, indent, true);
    } else out.wrapped(head, subject, headIndent, true);
    out.wrapped(indent, sanitize(item.message), indent, true);
    for (const detail of item.details ?? []) out.wrapped(indent, chalk.gray(sanitize(detail)), indent, true);
    if (mode === 'audit') continue;
    for (const action of item.actions) {
      out.wrapped(indent, `${chalk.cyan(mode === 'plan' ? 'would run:' : 'will run:')} ${sanitize(describeAction(action))}`, indent, true);
      if (action.kind === 'write-file') {
        for (const line of action.diff.trimEnd().split('\n')) out.wrapped(indent, colorDiff(sanitize(line)), indent, true);
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

/** "N thing" or "N things". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The recap line. apply and audit keep Ansible's recap (`ok=2 changed=10 skipped=0 failed=0`, drift
 * for an audit); a plan reads as Terraform's: "Plan: 9 to change, 3 ok, 0 skipped, 0 failed."
 */
export function recapLine(r: Recap, mode: Mode): string {
  if (mode === 'plan') return `Plan: ${r.changed} to change, ${r.ok} ok,${r.needs > 0 ? ` ${r.needs} ${r.needs === 1 ? 'needs a setting' : 'need a setting'},` : ''} ${r.skipped} skipped, ${r.failed} failed.`;
  return `${mode === 'apply' ? 'Applied' : 'Audit'}: ok=${r.ok} ${mode === 'apply' ? 'changed' : 'drift'}=${r.changed}${r.needs > 0 ? ` needs=${r.needs}` : ''} skipped=${r.skipped} failed=${r.failed}`;
}

/** Whether a quiet run prints the recap: when something failed or needs a setting, or (plan, audit) would change or drifted. */
export function recapIsProblem(r: Recap, mode: Mode): boolean {
  return r.failed > 0 || r.needs > 0 || (mode !== 'apply' && r.changed > 0);
}

/** The `summary` counts of plan and audit: an audit counts drift, not changes; both count the items that need a setting. */
export function summaryCounts(r: Recap, mode: Mode): Record<string, number> {
  const { changed, ...rest } = r;
  return mode === 'audit' ? { ...rest, drift: changed } : { ...rest, changed };
}
