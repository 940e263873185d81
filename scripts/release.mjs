#!/usr/bin/env zx
// npm run release [-- --arch x64,arm64 --formats deb,rpm,tar]: a self-contained zimbra-harden for Linux servers (its own
// Node runtime from the npm registry, no compiler, no system node), as .deb, .rpm and .tar.gz.
// Downloads and stages are kept in .release/ (ignored by git); packages land in .release/packages/.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renderBashCompletion } from './release/completion.mjs';
import { buildDeb } from './release/deb.mjs';
import { readHelpTree } from './release/help-tree.mjs';
import { renderManPage } from './release/manpage.mjs';
import { buildRpm } from './release/rpm.mjs';
import { ARCHES, fetchRuntime, NODE_RUNTIME, requiredLibs } from './release/runtime.mjs';
import { PREFIX, stageSystem } from './release/layout.mjs';

$.verbose = false;
const repo = join(import.meta.dirname, '..');
const work = join(repo, '.release');
const cache = join(work, 'cache');
const outDir = join(work, 'packages');
const arches = String(argv.arch ?? 'x64,arm64').split(',').map((a) => a.trim()).filter(Boolean);
const formats = new Set(String(argv.formats ?? 'deb,rpm,tar').split(','));
const usage = (message) => {
  echo(`release: ${message}`);
  process.exit(64);
};
for (const arch of arches) if (!ARCHES[arch]) usage(`--arch ${arch}: not one of ${Object.keys(ARCHES).join(', ')}`);
for (const format of formats) if (!['deb', 'rpm', 'tar'].includes(format)) usage(`--formats ${format}: not one of deb, rpm, tar`);

const started = Date.now();
const step = (text) => echo(`${chalk.bold('▸')} ${text} ${chalk.gray(`(${((Date.now() - started) / 1000).toFixed(0)} s)`)}`);
const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8'));
await mkdir(cache, { recursive: true });
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

step(`zimbra-harden ${pkg.version}: building the bundle`);
await $({ cwd: repo })`npm run build --silent`;

step('man page and bash completion from zimbra-harden --help');
const tree = await readHelpTree([process.execPath, join(repo, 'dist', 'cli.js')]);
const date = (await $({ cwd: repo, nothrow: true })`git log -1 --format=%cs`).stdout.trim() || new Date().toISOString().slice(0, 10);
const manPage = renderManPage(tree, { version: pkg.version, date });
const completion = renderBashCompletion(tree);

for (const arch of arches) {
  const names = ARCHES[arch];
  step(`linux-${arch}: Node ${NODE_RUNTIME} runtime (${names.npm} from the npm registry, cached in .release/cache)`);
  const runtime = await fetchRuntime(cache, arch);
  const libs = await requiredLibs(join(runtime, 'bin', 'node'));
  echo(`  the runtime needs glibc ≥ ${libs.glibc} and libstdc++ with GLIBCXX ≥ ${libs.glibcxx} (objdump -T ${names.npm}/bin/node)`);

  const root = join(work, 'stage', arch);
  step(`linux-${arch}: staging ${PREFIX}`);
  await stageSystem({ repo, runtime, root, pkg, manPage, completion });

  const built = [];
  if (formats.has('deb')) {
    step(`linux-${arch}: .deb (dpkg-deb)`);
    built.push(await buildDeb({ repo, root, pkg, arch: names.deb, glibc: libs.glibc, outDir }));
  }
  if (formats.has('rpm')) {
    step(`linux-${arch}: .rpm (rpmbuild)`);
    built.push(await buildRpm({ repo, root, pkg, arch: names.rpm, glibc: libs.glibc, workDir: join(work, 'rpmbuild', arch), outDir }));
  }
  if (formats.has('tar')) {
    step(`linux-${arch}: .tar.gz of ${PREFIX} (for other systems: unpack it under /opt)`);
    const tarball = join(outDir, `zimbra-harden-${pkg.version}-linux-${arch}.tar.gz`);
    await $({ cwd: join(root, 'opt') })`tar --owner=0 --group=0 -czf ${tarball} zimbra-harden`;
    built.push(tarball);
  }
  for (const file of built) {
    const size = (await $`du -h ${file}`).stdout.split('\t')[0];
    echo(`  ${file.slice(repo.length + 1)}  ${size}`);
  }
}
step('done');
