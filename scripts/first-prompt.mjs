#!/usr/bin/env zx
// Measures how long the wizard takes to show its first question, in a real pseudo-terminal
// (util-linux `script`), on a simulated ZCS 8.8.15 host. Prints the median of N warm runs.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!seen && out.includes('Which domains get a catch-all')) {
        seen = true;
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.stdin.write('\x03'); // Ctrl-C, as a person would: the wizard exits and frees its lock
        child.on('exit', () => resolve(ms));
      }
    });
    child.on('exit', () => seen || reject(new Error(`no prompt; output: ${out}`)));
  });
}

await once(); // warm the file cache
const times = [];
for (let i = 0; i < runs; i++) times.push(await once());
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
echo(`first prompt after: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms (${runs} runs)`);
await rm(parent, { recursive: true, force: true });
