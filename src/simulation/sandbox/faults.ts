/**
 * Fault injection for the simulated host (tests only; a real server has no DIR/.sandbox/).
 * DIR/.sandbox/faults.json holds a list of rules; a simulated command that matches one
 * fails or hangs the way a broken real tool would:
 *   { "tool": "zmprov", "command": "ms", "fail": "system failure: LDAP error" }  one batch command fails
 *   { "tool": "zmmtactl", "args": ["restart"], "hang": true }                    the tool never returns
 *   { "tool": "zmcbpolicydctl", "args": ["restart"], "fail": "…", "exitCode": 1 } the tool fails
 *   { "tool": "zmmtactl", "args": ["restart"], "slowMs": 3000 }                  the tool is slow
 * A rule with "times": N applies to the first N matching runs only (counted in the file).
 */
import * as fs from 'node:fs';
import { statePath, withLockSync, writeFileAtomicSync } from './state.js';

export interface FaultRule {
  tool: string;
  /** Leading arguments the run must have (for zmprov batch commands: see `command`). */
  args?: string[];
  /** zmprov only: the batch or single command name (e.g. "ma", "ms") that fails with service.FAILURE. */
  command?: string;
  /** Message of the failure (stderr); with `exitCode` for tools other than zmprov. */
  fail?: string;
  exitCode?: number;
  /** Sleep until killed. */
  hang?: boolean;
  /** Take this long, then run normally (a slow restart). */
  slowMs?: number;
  /** Apply to this many matching runs, then stop matching. */
  times?: number;
  /** How many runs it has matched so far (written back by the tools). */
  used?: number;
}

export const FAULTS_FILE = 'faults.json';

function readRules(root: string): FaultRule[] {
  try {
    return JSON.parse(fs.readFileSync(statePath(root, FAULTS_FILE), 'utf8')) as FaultRule[];
  } catch {
    return [];
  }
}

/** The first live rule that matches, counted as used. */
export function takeFault(root: string, tool: string, args: readonly string[], command?: readonly string[]): FaultRule | undefined {
  if (!fs.existsSync(statePath(root, FAULTS_FILE))) return undefined;
  return withLockSync(root, () => {
    const rules = readRules(root);
    const rule = rules.find(
      (r) =>
        r.tool === tool &&
        (r.times === undefined || (r.used ?? 0) < r.times) &&
        (r.args ?? []).every((a, i) => args[i] === a) &&
        (r.command === undefined ? command === undefined : (command ?? []).some((c) => c.toLowerCase() === r.command!.toLowerCase())),
    );
    if (rule && rule.times !== undefined) {
      rule.used = (rule.used ?? 0) + 1;
      writeFileAtomicSync(statePath(root, FAULTS_FILE), `${JSON.stringify(rules, null, 2)}\n`);
    }
    return rule;
  });
}

/** Blocks the simulated command until a signal ends it (a hung JVM or init script). */
export function hangForever(): never {
  for (;;) sleepSync(60_000);
}

export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** For tests: sets the rules of a sandbox. */
export async function writeFaults(root: string, rules: FaultRule[]): Promise<void> {
  writeFileAtomicSync(statePath(root, FAULTS_FILE), `${JSON.stringify(rules, null, 2)}\n`);
}
