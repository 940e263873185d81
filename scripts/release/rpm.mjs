// The .rpm, with rpmbuild from the staged tree: no compiling, the files as staged.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';

export async function buildRpm({ repo, root, pkg, arch, glibc, workDir, outDir }) {
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const fill = { VERSION: pkg.version.replace(/-/g, '~'), RELEASE: '1', ARCH: arch, URL: pkg.homepage, STAGE: root, GLIBC: glibc };
  const spec = (await readFile(join(repo, 'packaging', 'rpm', 'zimbra-harden.spec'), 'utf8')).replace(/@([A-Z]+)@/g, (m, key) => fill[key] ?? m);
  const specFile = join(workDir, 'zimbra-harden.spec');
  await writeFile(specFile, spec);
  await $`rpmbuild -bb --quiet --target ${arch} --define ${`_topdir ${workDir}`} --define ${`_rpmdir ${outDir}`} --define ${'_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm'} ${specFile}`.quiet();
  return join(outDir, `zimbra-harden-${fill.VERSION}-${fill.RELEASE}.${arch}.rpm`);
}
