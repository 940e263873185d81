// The monitor, the log generator and the real host as one module for the benchmarks
// (the CLI bundle runs its main on import, so they cannot import dist/cli.js).
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
