import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { commanderFlags, GLOBAL_FLAGS } from '../../src/commands/command-flags.js';
import { plainMonitorArgs } from '../../src/commands/monitor-argv.js';
import { registerMonitor } from '../../src/commands/monitor-command.js';
import { STATE_PATH } from '../../src/monitor/state.js';
import { cli } from '../helpers/sandbox.js';
import { fixture, put, tempRoot } from './helpers.js';

/** What the full CLI's commander makes of the same words: the program's options and the monitor's. */
function commanderReads(argv: string[]): { options: Record<string, unknown>; flags: Record<string, unknown> } {
  const program = new Command('zimbra-harden').exitOverride();
  for (const flag of GLOBAL_FLAGS) program.option(commanderFlags(flag), flag.help);
  registerMonitor(program, async () => {});
  program.parse(argv, { from: 'user' });
  return { options: program.opts(), flags: program.commands.find((c) => c.name() === 'monitor')!.opts() };
}

describe('the plain monitor command line (read without commander)', () => {
  test.each([
    [['--root', '/srv/box', '--config', '/etc/zh.json', 'monitor', '--quiet']],
    [['monitor', '--quiet']],
    [['-q', 'monitor']],
    [['-qn', 'monitor', '--peek']],
    [['monitor', '--root', '/srv/box', '--domains', 'a.example,b.example']],
    [['monitor', '--no-mail', '--since', '2h', '--json', '-n', '--domains=a.example']],
    [['monitor', '--peek', '-y', '--detailed-exitcode', '--color', '--no-color']],
    [['--no-color', 'monitor', '--color', '--since', '1d', '--since', '2d']],
  ])('%j: read as commander reads it', (argv) => {
    const plain = plainMonitorArgs(argv);
    expect(plain).toBeDefined();
    expect(plain).toEqual(commanderReads(argv));
  });

  test('what cron runs', () => {
    expect(plainMonitorArgs(['--root', '/srv/box', 'monitor', '--quiet'])).toEqual({ options: { root: '/srv/box', quiet: true }, flags: { mail: true } });
  });

  test.each([
    [[]],
    [['monitor', '--help']],
    [['monitor', '-h']],
    [['--version']],
    [['monitr']],
    [['monitor', 'extra']],
    [['monitor', 'monitor']],
    [['monitor', '--bogus']],
    [['monitor', '--mail']],
    [['--peek', 'monitor']],
    [['monitor', '--root']],
    [['monitor', '--root', '--json']],
    [['monitor', '--', '--json']],
    [['audit']],
    [['cron', 'show']],
    [['--json', 'apply', '--yes']],
  ])('%j goes to the full CLI', (argv) => {
    expect(plainMonitorArgs(argv)).toBeUndefined();
  });
});

describe('dist/cli.js monitor: the plain path answers as the full CLI did', () => {
  test('help, typos and misplaced flags: commander\'s words and exit codes', async () => {
    const help = await cli(['monitor', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Usage: zimbra-harden monitor [options]');
    expect(help.stdout).toContain('--no-mail');
    const unknown = await cli(['monitor', '--bogus']);
    expect(unknown).toMatchObject({ exitCode: 64, stderr: expect.stringContaining("unknown option '--bogus'") as unknown });
    const typo = await cli(['monitr']);
    expect(typo).toMatchObject({ exitCode: 64, stderr: expect.stringContaining('(Did you mean monitor?)') as unknown });
    const early = await cli(['--peek', 'monitor']);
    expect(early).toMatchObject({ exitCode: 64, stderr: expect.stringContaining("unknown option '--peek'") as unknown });
  });

  test('a bad flag value is a usage error (64), in JSON too', async () => {
    const root = tempRoot();
    const both = await cli(['monitor', '--root', root, '--domains', 'example.com', '--peek', '--since', '1h']);
    expect(both).toMatchObject({ exitCode: 64, stderr: 'zimbra-harden: --peek and --since: --since already leaves the saved state alone; give one of them' });
    const since = await cli(['--json', 'monitor', '--root', root, '--domains', 'example.com', '--since', 'soon']);
    expect(since.exitCode).toBe(64);
    expect(since.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; exitCode?: number }).at(-1)).toMatchObject({ type: 'error', exitCode: 64 });
  });

  test('a bad config file is a config error (78) naming the key', async () => {
    const root = tempRoot();
    const config = put(root, '/etc/zh.json', JSON.stringify({ monitor: { smtpPort: 'x' } }));
    const run = await cli(['--root', root, '--config', config, 'monitor', '--domains', 'example.com', '-q']);
    expect(run.exitCode).toBe(78);
    expect(run.stderr).toBe(`zimbra-harden: config ${config}: monitor.smtpPort: Invalid input: expected int, received string`);
  });

  test('--peek and --since save nothing; --no-mail saves the position but keeps the findings owed', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', fixture('recipe-fwd-only.log'));
    const state = join(root, STATE_PATH);
    const args = ['--root', root, 'monitor', '--domains', 'example.com'];

    const peek = await cli([...args, '--peek']);
    expect(peek.exitCode).toBe(2);
    expect(peek.stdout).toContain('bob@example.com: Forged-sender relaying');
    const since = await cli([...args, '--since', '2024-10-30T00:00']);
    expect(since.exitCode).toBe(2);
    expect(since.stdout).toContain('bob@example.com: Forged-sender relaying');
    expect(existsSync(state)).toBe(false);

    const noMail = await cli([...args, '--no-mail']);
    expect(noMail.exitCode).toBe(2);
    expect(noMail.stdout).toContain('Nothing was sent or used up');
    expect((JSON.parse(readFileSync(state, 'utf8')) as { pending: unknown[] }).pending).toHaveLength(1);

    // The next ordinary run still reports it (to stdout: no channel is configured), then nothing is owed.
    const next = await cli([...args, '-q']);
    expect(next.exitCode).toBe(2);
    expect(next.stdout).toContain('bob@example.com: Forged-sender relaying');
    expect(await cli([...args, '-q'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });
});
