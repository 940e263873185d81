// Bundles the CLI and the simulated Zimbra tools into dist/ (one ESM file each).
import { build } from 'esbuild';
import { chmod, readFile, rm } from 'node:fs/promises';

const { version } = JSON.parse(await readFile('package.json', 'utf8'));

const banner = {
  js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};

const entries = {
  cli: 'src/start.ts',
  'sandbox-tool': 'src/simulation/sandbox/tool.ts',
};

// A fresh dist/ each time: chunk names carry hashes, so old ones would pile up.
await rm('dist', { recursive: true, force: true });

await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  banner,
  define: { __ZIMBRA_HARDEN_VERSION__: JSON.stringify(version) },
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
});
await chmod('dist/cli.js', 0o755);
