#!/usr/bin/env zx
// The newcomer's first command: a simulated Zimbra host in a temporary folder, hardened, then audited.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

$.verbose = false;
const cli = join(import.meta.dirname, '../dist/cli.js');
const root = join(await mkdtemp(join(tmpdir(), 'zimbra-harden-demo-')), 'host');
const interactive = process.stdin.isTTY && process.stdout.isTTY && !process.env.CI;
const run = (args) => $({ stdio: 'inherit', nothrow: true })`${process.execPath} ${cli} --root ${root} ${args}`;

echo(chalk.bold('1. A simulated ZCS 8.8.15 server with two domains'));
await run(['sandbox', 'create', root, '--zimbra-version', '8.8.15', '--domains', 'a.example,b.example']);

const answers = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=admin@b.example'];
if (interactive) {
  echo(chalk.bold('\n2. Harden it with the wizard (answer its questions; the defaults are fine)'));
  await run([]);
} else {
  echo(chalk.bold('\n2. Harden it (no terminal: the demo answers for you)'));
  echo(chalk.gray(`   zimbra-harden apply --yes ${answers.join(' ')}`));
  await run(['apply', '--yes', ...answers]);
}

echo(chalk.bold('\n3. Audit it, as you would any day after'));
await run(['audit']);

echo(`\nThe simulated server is in ${root}`);
echo(`  look inside:      ls ${root}/opt/zimbra ; cat ${root}/.sandbox/calls.log`);
echo(`  run it yourself:  node ${cli} --root ${root} audit`);
