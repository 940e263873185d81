import type { Finding } from './types.js';

/** A suggested next step as JSON: the command as an argument array (when it is one) and why. */
export interface ActionJson {
  argv?: string[];
  description: string;
}

/**
 * The monitor writes its suggested actions for the mailed report, as `COMMAND   # why` or prose;
 * JSON readers get them as `{argv, description}`. The command is split on spaces: it is one of
 * ours (see monitor/actions.ts), never user input.
 */
export function actionFromText(text: string): ActionJson {
  const match = /^(?:(.*?):\s+)?(zimbra-harden(?: \S+)*)(?:\s+#\s+(.*))?$/.exec(text);
  if (!match) return { description: text };
  const [, condition, command, why] = match;
  const description = [condition, why].filter(Boolean).join(': ') || command!;
  return { argv: command!.split(' '), description };
}

/** A monitor or incident finding as JSON: `id` names what was found (as in plans), with a severity on the items' scale (a low finding is a note). */
export function findingJson(finding: Finding): Record<string, unknown> {
  const { type, actions, severity, ...rest } = finding;
  return { id: type, severity: severity === 'low' ? 'suggestion' : 'warning', ...rest, actions: actions.map(actionFromText) };
}
