#!/usr/bin/env zx
// The newcomer's first command: a simulated Zimbra server in a temporary folder whose log shows a
// stolen account relaying spam; zimbra-harden hardens it, audits it, and its monitor finds the incident.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

$.verbose = false;
const cli = join(import.meta.dirname, '../dist/cli.js');
const root = join(await mkdtemp(join(tmpdir(), 'zimbra-harden-demo-')), 'host');
const interactive = process.stdin.isTTY && process.stdout.isTTY && !process.env.CI;
const run = (args) => $({ stdio: 'inherit', nothrow: true })`${process.execPath} ${cli} --root ${root} ${args}`;
const step = (text) => echo(chalk.bold(`\n${text}`));

step('1. A simulated ZCS 8.8.15 server: two domains, a dozen accounts, six hours of mail log, one stolen password');
await run(['sandbox', 'create', root, '--zimbra-version', '8.8.15', '--domains', 'a.example,b.example', '--incident']);

const answers = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=admin@b.example', '--report-to', 'admin@a.example'];
if (interactive) {
  step('2. Harden it with the wizard (answer its questions; the defaults are fine)');
  await run([]);
} else {
  step('2. Harden it (no terminal: the demo answers for you)');
  echo(chalk.gray(`   npx zimbra-harden --root ${root} apply --yes ${answers.join(' ')}`));
  await run(['apply', '--yes', ...answers]);
}

step('3. Audit it, as you would any day after');
await run(['audit']);

step('4. What the log monitor (run from cron every 10 minutes) would have mailed you');
await run(['monitor', '--no-mail']);

echo(`\nThe simulated server is in ${root}`);
echo(`  look inside:      ls ${root}/opt/zimbra ; cat ${root}/.sandbox/calls.log`);
echo(`  the cron job:     cat ${root}/etc/cron.d/zimbra-harden`);
echo(`  run it yourself:  node ${cli} --root ${root} audit`);
