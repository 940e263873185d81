import type { Output } from './output.js';

/**
 * Shows a spinner on stderr while `work` runs (zmprov starts a JVM: seconds on a real server), only
 * when both stdout and stderr are a terminal and the output is for a person (not --json, not -q).
 */
export async function withSpinner<T>(out: Output, text: string, work: Promise<T>, stream: NodeJS.WriteStream = process.stderr): Promise<T> {
  work.catch(() => undefined); // rejected while ora loads: still reported to the caller by `await work`
  if (out.json || out.quiet || !process.stdout.isTTY || !stream.isTTY) return work;
  const { default: ora } = await import('ora');
  const spinner = ora({ text, stream, isEnabled: true, discardStdin: false }).start();
  try {
    return await work;
  } finally {
    spinner.stop();
  }
}
