// Bundles the CLI and the simulated Zimbra tools into dist/ (one ESM file each).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const { version } = JSON.parse(await readFile('package.json', 'utf8'));

const banner = {
  js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};

const entries = {
  cli: 'src/start.ts',
  'sandbox-tool': 'src/simulation/sandbox/tool.ts',
};

// The validators a cron run uses instead of zod, from the zod schemas (committed; rewritten when a schema changed).
const { compileSchemas, OUTPUT } = await import('./compile-schemas.mjs');
const compiled = await compileSchemas();
for (const [file, text] of [[OUTPUT, compiled.js], [OUTPUT.replace(/\.js$/, '.d.ts'), compiled.dts]]) {
  if ((await readFile(file, 'utf8').catch(() => '')) === text) continue;
  await writeFile(file, text);
  console.warn(`build: ${file.slice(process.cwd().length + 1)} did not match the zod schemas and was rewritten: commit it`);
}

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

// The simulated tools again, as one CommonJS file frozen into a V8 startup snapshot: a sandbox's
// wrappers start from it when this Node.js built it (src/simulation/sandbox/create.ts), which saves most of
// each call's start (the tests make thousands). Not in dist/: a snapshot only runs on the Node.js
// that built it. Without it (an error here), the wrappers run dist/sandbox-tool.js.
const cache = 'node_modules/.cache/zimbra-harden';
const blob = `${cache}/sandbox-tool.blob`;
await rm(cache, { recursive: true, force: true });
try {
  await mkdir(cache, { recursive: true });
  await build({
    entryPoints: { 'sandbox-tool-snapshot': 'src/simulation/sandbox/tool-snapshot.ts' },
    outdir: cache,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    // import.meta.url locates better-sqlite3 (loaded when a tool needs it): resolve it from dist/ as the ESM build does.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(resolve('dist/sandbox-tool.js')).href) },
    logLevel: 'warning',
  });
  await execFileAsync(process.execPath, ['--no-warnings', '--snapshot-blob', blob, '--build-snapshot', `${cache}/sandbox-tool-snapshot.js`]);
  const meta = { node: process.version, execPath: process.execPath, scriptMtimeMs: (await stat('dist/sandbox-tool.js')).mtimeMs };
  await writeFile(`${blob}.json`, `${JSON.stringify(meta)}\n`);
} catch (error) {
  console.warn(`build: no startup snapshot of the simulated tools (${error instanceof Error ? error.message.split('\n')[0] : error}); they start from dist/sandbox-tool.js`);
}
