#!/usr/bin/env node
// The cron case of `npm run bench` alone, on a smaller log: the state saved after all but the last ten
// minutes of a generated zimbra.log, then `node dist/cli.js monitor --root DIR --domains …` from that state,
// as cron runs it. CPU = user + system of the child, node's start included (/usr/bin/time).
// Usage: node scripts/bench-cron.mjs [--hours 3] [--runs 7] [--cli dist/cli.js] [--prepare]
// --prepare only makes the fixture and prints the command that restores the state and runs one cron run.
import { buildBenchLib, lastTenMinutes } from './bench-lib.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { hours: { type: 'string', default: '3' }, runs: { type: 'string', default: '7' }, cli: { type: 'string', default: 'dist/cli.js' }, prepare: { type: 'boolean' } },
});
const repo = join(import.meta.dirname, '..');
const work = join(repo, '.bench', `cron-${values.hours}h`);
const DOMAINS = ['example.com', 'example.org'];
mkdirSync(work, { recursive: true });

const lib = join(work, 'lib.mjs');
await buildBenchLib(lib);

// The benchmark's traffic (4000 messages an hour for 400 accounts, the quirks), over fewer hours.
const params = { seed: 42, start: '2024-10-30T00:00:00', hours: Number(values.hours), messagesPerHour: 4000, domains: DOMAINS, accountCount: 400, quirks: true };
const root = join(work, 'root');
const log = join(root, 'var/log/zimbra.log');
const statePath = join(root, 'var/lib/zimbra-harden/monitor-state.json');
const saved = join(work, 'saved-state.json');
const marker = join(work, 'params.json');
if (!existsSync(marker) || readFileSync(marker, 'utf8') !== JSON.stringify(params) || !existsSync(saved)) {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'var/log'), { recursive: true });
  const full = join(work, 'full.log');
  const gen = `import { writeZimbraLog } from ${JSON.stringify(lib)};
const p = ${JSON.stringify(params)};
await writeZimbraLog({ ...p, start: new Date(p.start) }, { mail: ${JSON.stringify(full)} });`;
  execFileSync(process.execPath, ['--input-type=module', '-e', gen], { stdio: 'inherit' });
  const all = readFileSync(full);
  const at = lastTenMinutes(all);
  writeFileSync(log, all.subarray(0, at));
  const { mtime } = statSync(full);
  utimesSync(log, mtime, mtime);
  const scan = `import { runMonitor, RealHost } from ${JSON.stringify(lib)};
await runMonitor({ host: new RealHost(${JSON.stringify(root)}), domains: ${JSON.stringify(DOMAINS)}, now: new Date('2024-10-31T12:00:00') });`;
  execFileSync(process.execPath, ['--input-type=module', '-e', scan], { stdio: 'inherit' });
  appendFileSync(log, all.subarray(at));
  utimesSync(log, mtime, mtime);
  writeFileSync(saved, readFileSync(statePath));
  writeFileSync(join(work, 'tail-bytes'), String(all.length - at));
  rmSync(full);
  writeFileSync(marker, JSON.stringify(params));
}

const cli = resolve(values.cli);
const args = [cli, 'monitor', '--root', root, '--domains', DOMAINS.join(',')];
if (values.prepare) {
  console.log(`sh -c 'cp ${saved} ${statePath} && exec node ${args.join(' ')} >/dev/null'`);
  process.exit(0);
}

const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cpuOf = (command) => {
  const { stderr } = spawnSync('/usr/bin/time', ['-f', '%U %S %x', ...command], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const [user, sys, exit] = stderr.trim().split('\n').pop().split(' ').map(Number);
  return { ms: (user + sys) * 1000, exit };
};
const load = loadavg()[0];
const runs = [];
const node = [];
for (let i = 0; i < Number(values.runs); i++) {
  writeFileSync(statePath, readFileSync(saved));
  runs.push(cpuOf(['node', ...args]));
  node.push(cpuOf(['node', '-e', '0']).ms);
}
const tail = Number(readFileSync(join(work, 'tail-bytes'), 'utf8'));
console.log(
  `cron run over the last ten minutes (${(tail / 1e6).toFixed(1)} MB, state ${(statSync(saved).size / 1e3).toFixed(0)} kB): ` +
    `median ${med(runs.map((r) => r.ms)).toFixed(0)} ms CPU incl. node's start (min ${Math.min(...runs.map((r) => r.ms)).toFixed(0)}), ` +
    `node -e 0: ${med(node).toFixed(0)} ms; exit ${[...new Set(runs.map((r) => r.exit))].join(',')}; load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}`,
);
