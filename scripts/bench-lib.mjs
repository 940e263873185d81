// What the benchmarks share: the monitor, the log generator and the real host as one module (the CLI
// bundle runs its main on import, so they cannot import dist/cli.js), and where a log's last ten minutes begin.
import { build } from 'esbuild';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..');

/** Bundles src/ into `outfile`, exporting runMonitor, writeZimbraLog, generateLogs, RealHost, tuneForOneShotScan. */
export async function buildBenchLib(outfile) {
  await build({
    stdin: {
      contents: "export { runMonitor } from './src/monitor/run-monitor.ts'; export { writeZimbraLog, generateLogs } from './src/simulation/loggen/generate.ts'; export { RealHost } from './src/host/real-host.ts'; export { tuneForOneShotScan } from './src/monitor/v8-tuning.ts';",
      resolveDir: repo,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

/** Where the last ten minutes of a classic-stamped zimbra.log begin: the first line stamped ten minutes before its last one. */
export function lastTenMinutes(log) {
  const tail = log.subarray(log.lastIndexOf(10, log.length - 2) + 1).toString('latin1');
  const cut = new Date(Date.parse(`${tail.slice(0, 15)} 2024`) - 10 * 60_000);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const stamp = `\n${months[cut.getMonth()]} ${String(cut.getDate()).padStart(2, ' ')} ${String(cut.getHours()).padStart(2, '0')}:${String(cut.getMinutes()).padStart(2, '0')}`;
  return log.indexOf(stamp, Math.max(0, log.length - 40e6)) + 1;
}
