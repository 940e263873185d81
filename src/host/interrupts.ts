/**
 * Ctrl-C and SIGTERM while commands run. Every command runs in its own process group, so the
 * terminal's Ctrl-C reaches only zimbra-harden; this module decides what happens to the child:
 * a service restart is left to finish (killing `zmcbpolicydctl restart` halfway leaves cbpolicyd
 * down while Postfix already asks it), anything else is stopped. Inside a guarded section (an
 * apply) the run then stops at the next step; elsewhere it exits at once. A second signal exits
 * at once in every case.
 */
import { InterruptedError } from '../errors.js';

interface Running {
  label: string;
  /** Let it finish when interrupted (service restarts). */
  finish: boolean;
  stop(): void;
}

const running = new Set<Running>();
let requested = false;
let guardDepth = 0;
let installed = false;
/** Set by the CLI's entry: the process is ours, so a signal always gets this module's answer (exit 130). */
let permanent = false;

function say(text: string): void {
  process.stderr.write(`\nzimbra-harden: ${text}\n`);
}

function onSignal(signal: NodeJS.Signals): void {
  const waiting = [...running].filter((r) => r.finish);
  if (requested) {
    if (waiting.length > 0) say(`${signal} again: exiting now; ${waiting.map((r) => r.label).join(', ')} goes on in the background`);
    process.exit(130);
  }
  requested = true;
  for (const r of running) if (!r.finish) r.stop();
  if (waiting.length > 0) {
    say(`${signal}: waiting for ${waiting.map((r) => r.label).join(', ')} to finish before exiting (stopping it halfway would leave the service down); ${signal} again exits now`);
  } else if (guardDepth > 0) {
    if (running.size === 0) say(`${signal}: stopping after the current step`);
  } else {
    say(`${signal}: interrupted`);
    process.exit(130);
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/**
 * Used as a library (the in-process tests), the handlers are off again once nothing runs and no section is
 * guarded, so a signal then does what it would without this module.
 */
function uninstallWhenIdle(): void {
  if (!installed || permanent || requested || guardDepth > 0 || running.size > 0) return;
  installed = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** The CLI's entry: from now on every Ctrl-C or SIGTERM is answered here (message, exit 130). */
export function answerSignals(): void {
  permanent = true;
  install();
}

/** Registers a running child; call the returned function when it has ended. */
export function trackChild(child: Running): () => void {
  install();
  running.add(child);
  return () => {
    running.delete(child);
    uninstallWhenIdle();
  };
}

/** Throws InterruptedError once a signal was received (checked before each command and step). */
export function throwIfInterrupted(): void {
  if (requested) throw new InterruptedError();
}

/** Runs fn so that a signal stops it at the next step instead of killing the process mid-write. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  install();
  guardDepth++;
  try {
    return await fn();
  } finally {
    guardDepth--;
    uninstallWhenIdle();
  }
}
