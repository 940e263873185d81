#!/usr/bin/env zx
// Measures how long the wizard takes to show its first question, in a real pseudo-terminal
// (util-linux `script`), on a simulated ZCS 8.8.15 host. Prints the median of N warm runs.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(argv.runs ?? 15);
const cli = join(import.meta.dirname, '../dist/cli.js');
const parent = await mkdtemp(join(tmpdir(), 'zh-first-prompt-'));
const root = join(parent, 'host');
await $`${process.execPath} ${cli} sandbox create ${root} --zimbra-version 8.8.15`.quiet();

function once() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', `${process.execPath} ${cli} --root ${root}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let seen = false;
    let firstOutput;
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (firstOutput === undefined && out.includes('Reading the server')) firstOutput = Number(process.hrtime.bigint() - started) / 1e6;
      if (!seen && out.includes('Which domains get a catch-all')) {
        seen = true;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.stdin.write('\x03'); // Ctrl-C, as a person would: the wizard exits and frees its lock
        child.on('exit', () => resolve({ ms, firstOutput }));
      }
    });
    child.on('exit', () => seen || reject(new Error(`no prompt; output: ${out}`)));
  });
}

/** Wall time of a command, in ms. */
async function timed(fn) {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;

await once(); // warm the file cache
const times = [];
const firstOutputs = [];
const baseline = [];
const survey = [];
for (let i = 0; i < runs; i++) {
  const { ms, firstOutput } = await once();
  times.push(ms);
  firstOutputs.push(firstOutput);
  // What the first prompt waits for besides the tool itself: Node's own start, and the slower of the wizard's two
  // reads of the server (the simulated zmprov, a Node process here, a JVM of seconds on a real server).
  baseline.push(await timed(() => $`${process.execPath} -e 0`));
  survey.push(await timed(() => $({ input: 'gad\ngaa\nexit\n' })`${join(root, 'opt/zimbra/bin/zmprov')} -l`));
}
echo(`first prompt after: ${stats(times)} (${runs} runs, machine load ${loadavg()[0].toFixed(2)})`);
echo(`  first output (the banner and "Reading the server"): ${stats(firstOutputs)}`);
echo(`  node -e 0:                     ${stats(baseline)}`);
echo(`  simulated zmprov -l gad, gaa:  ${stats(survey)}`);
await rm(parent, { recursive: true, force: true });
