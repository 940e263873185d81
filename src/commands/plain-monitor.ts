import { setColorLevel } from '../ui/color.js';
import { createOutput, type Output } from '../ui/output.js';
import { openContext } from './context.js';
import type { PlainMonitor } from './monitor-argv.js';
import { runMonitorCommand } from './monitor.js';
import { exitCodeOf } from './run-error.js';

/** `monitor` as the full CLI runs it (cli.ts), from flags read by monitor-argv.ts: the same context, output and exit codes. */
export async function runPlainMonitor(argv: readonly string[], plain: PlainMonitor): Promise<number> {
  setColorLevel(argv);
  let out: Output | undefined;
  try {
    const ctx = await openContext(plain.options);
    out = ctx.out;
    return await runMonitorCommand(ctx, plain.flags);
  } catch (error) {
    return exitCodeOf(error, out ?? createOutput({ json: plain.options.json ?? false }));
  }
}
