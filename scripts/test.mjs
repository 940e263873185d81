// `npm test`: the type check runs beside `vitest run ARGS` instead of before it (the tests spend
// part of their time waiting on processes, so the check costs them little wall time). tsc's report
// is printed after vitest's; either failing fails the run.
import { spawn } from 'node:child_process';

/** Runs a command of node_modules/.bin (on PATH under npm); resolves to its exit code. */
function run(command, args, stdio) {
  const child = spawn(command, args, { stdio });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ code: 1, output: `${command}: ${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const [typecheck, tests] = await Promise.all([
  run('tsc', ['--noEmit'], ['ignore', 'pipe', 'inherit']),
  run('vitest', ['run', ...process.argv.slice(2)], 'inherit'),
]);
if (typecheck.code !== 0) process.stderr.write(`\ntsc --noEmit failed:\n${typecheck.output}`);
process.exitCode = tests.code || typecheck.code;
