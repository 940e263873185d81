// The .deb, with dpkg-deb: the staged tree plus control and maintainer scripts.
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { $ } from 'zx';

export async function buildDeb({ repo, root, pkg, arch, glibc, outDir }) {
  const control = join(root, 'DEBIAN');
  await rm(control, { recursive: true, force: true });
  await mkdir(control, { recursive: true });
  const size = Number((await $`du -sk --exclude=DEBIAN ${root}`.quiet()).stdout.split('\t')[0]);
  await writeFile(
    join(control, 'control'),
    [
      'Package: zimbra-harden',
      `Version: ${pkg.version}`,
      `Architecture: ${arch}`,
      'Maintainer: zimbra-harden contributors',
      `Installed-Size: ${size}`,
      `Depends: libc6 (>= ${glibc}), libstdc++6`,
      'Section: admin',
      'Priority: optional',
      `Homepage: ${pkg.homepage}`,
      `Description: ${pkg.description.replace(/\.$/, '')}`,
      ' Hardens a Zimbra Collaboration (ZCS) server against relaying spam through',
      ' stolen accounts (catch-all, cbpolicyd quotas, web UI lock-down, sender/login',
      ' match), audits it, watches its mail log, and helps with incidents.',
      ' Self-contained: its own Node.js runtime under /opt/zimbra-harden, no compiler.',
      '',
    ].join('\n'),
  );
  for (const script of ['prerm', 'postrm']) {
    await copyFile(join(repo, 'packaging', 'deb', script), join(control, script));
    await chmod(join(control, script), 0o755);
  }
  const file = join(outDir, `zimbra-harden_${pkg.version}_${arch}.deb`);
  await $`dpkg-deb --root-owner-group -Zgzip -z6 --build ${root} ${file}`.quiet();
  await rm(control, { recursive: true, force: true });
  return file;
}
