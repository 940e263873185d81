// The installed file tree, staged in a folder: /opt/zimbra-harden (launcher, runtime, bundle, the
// SQLite module) and what the packages put around it (command, man page, completion, folders).
import { chmod, copyFile, cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const PREFIX = '/opt/zimbra-harden';
export const COMMAND = '/usr/sbin/zimbra-harden';

const put = async (file, content, mode = 0o644) => {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, content, { mode });
  await chmod(file, mode);
};

/**
 * The self-contained program under PREFIX: bin/zimbra-harden runs dist/cli.js on runtime/bin/node;
 * node_modules/better-sqlite3 is the node:sqlite adapter, the one module the bundle leaves external.
 */
export async function stageProgram({ repo, runtime, optDir, pkg }) {
  await rm(optDir, { recursive: true, force: true });
  // With the source maps: an internal error's stack trace then names the src/ file and line.
  await cp(join(repo, 'dist'), join(optDir, 'dist'), { recursive: true });
  await put(join(optDir, 'package.json'), `${JSON.stringify({ name: pkg.name, version: pkg.version, type: 'module', license: pkg.license, private: true }, null, 2)}\n`);
  await copyFile(join(repo, 'LICENSE'), join(optDir, 'LICENSE'));
  await put(join(optDir, 'bin', 'zimbra-harden'), await readFile(join(repo, 'packaging', 'launcher.sh')), 0o755);
  await mkdir(join(optDir, 'runtime', 'bin'), { recursive: true });
  await copyFile(join(runtime, 'bin', 'node'), join(optDir, 'runtime', 'bin', 'node'));
  await chmod(join(optDir, 'runtime', 'bin', 'node'), 0o755);
  await copyFile(join(runtime, 'LICENSE'), join(optDir, 'runtime', 'LICENSE'));
  const sqlite = join(optDir, 'node_modules', 'better-sqlite3');
  await put(join(sqlite, 'package.json'), `${JSON.stringify({ name: 'better-sqlite3', version: '0.0.0-node-sqlite', private: true, main: 'index.js', description: "better-sqlite3's API as zimbra-harden uses it, over node:sqlite" }, null, 2)}\n`);
  await copyFile(join(repo, 'packaging', 'sqlite', 'better-sqlite3-on-node-sqlite.cjs'), join(sqlite, 'index.js'));
}

/** The package's whole file system tree (the program under PREFIX plus everything around it). */
export async function stageSystem({ repo, runtime, root, pkg, manPage, completion }) {
  await rm(root, { recursive: true, force: true });
  await stageProgram({ repo, runtime, optDir: join(root, PREFIX), pkg });
  await mkdir(join(root, dirname(COMMAND)), { recursive: true });
  await symlink(join(PREFIX, 'bin', 'zimbra-harden'), join(root, COMMAND));
  await put(join(root, 'usr/share/man/man8/zimbra-harden.8.gz'), gzipSync(manPage, { level: 9 }));
  await put(join(root, 'usr/share/bash-completion/completions/zimbra-harden'), completion);
  const license = await readFile(join(repo, 'LICENSE'), 'utf8');
  await put(join(root, 'usr/share/doc/zimbra-harden/copyright'), `zimbra-harden ${pkg.version}\n${pkg.homepage ?? ''}\n\n${license}\nThe Node.js runtime in ${PREFIX}/runtime: see ${PREFIX}/runtime/LICENSE.\n`);
  await mkdir(join(root, 'etc/zimbra-harden'), { recursive: true, mode: 0o755 });
  await mkdir(join(root, 'var/lib/zimbra-harden'), { recursive: true });
  await chmod(join(root, 'var/lib/zimbra-harden'), 0o700);
}
