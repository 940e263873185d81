/** The log of every simulated command run in a sandbox: DIR/.sandbox/calls.log, one JSON object per line. */
import * as fs from 'node:fs/promises';
import { appendFileSync } from 'node:fs';
import { statePath } from './state.js';

export interface Call {
  ts: string;
  tool: string;
  argv: string[];
  /** The user it ran as (ExecOptions.user); absent: the sandbox's owner, standing for root. */
  user?: string;
  /** Lines zmprov read from its standard input in batch mode. */
  stdin?: string[];
  exitCode: number;
}

export const CALLS_LOG = 'calls.log';

/** Appends one call (a single write, so concurrent processes do not interleave lines). */
export function appendCallSync(root: string, call: Call): void {
  appendFileSync(statePath(root, CALLS_LOG), `${JSON.stringify(call)}\n`);
}

export async function readCalls(root: string): Promise<Call[]> {
  let text: string;
  try {
    text = await fs.readFile(statePath(root, CALLS_LOG), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Call);
}

/** Number of simulated command runs, optionally only those of one tool (e.g. "zmprov"). */
export async function countCalls(root: string, tool?: string): Promise<number> {
  const calls = await readCalls(root);
  return tool === undefined ? calls.length : calls.filter((call) => call.tool === tool).length;
}
