import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { CLI, cli, sandbox } from '../helpers/sandbox.js';
import { describe, expect, test } from 'vitest';
import { monitorSchema, type Settings } from '../../src/core/settings.js';
import { monitorCronControl } from '../../src/controls/monitor-cron.js';
import { checkControl } from '../../src/core/engine.js';
import { RealHost } from '../../src/host/real-host.js';
import { checkSchedule, CRON_FILE, cronFileContent, cronSchedule, installedCliPath, shellQuote } from '../../src/monitor/cron-entry.js';
import { fixture, put, tempRoot } from './helpers.js';
import { smtpServer } from './report-servers.js';

const entry = { schedule: '*/10 * * * *', nodePath: '/usr/bin/node', cliPath: '/usr/local/lib/node_modules/zimbra-harden/dist/cli.js' };

describe('the cron entry', () => {
  test('marker, bare environment, user field, absolute quoted paths, quiet, trailing newline', () => {
    expect(cronFileContent(entry)).toBe(
      [
        '# zimbra-harden: monitor',
        '# Written by zimbra-harden; remove with: zimbra-harden cron remove',
        'SHELL=/bin/sh',
        'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
        "*/10 * * * * root '/usr/bin/node' '/usr/local/lib/node_modules/zimbra-harden/dist/cli.js' monitor --quiet",
        '',
      ].join('\n'),
    );
    expect(cronFileContent({ ...entry, root: '/srv/sandbox one' })).toContain("cli.js' --root '/srv/sandbox one' monitor --quiet");
    expect(CRON_FILE).not.toMatch(/\.[^/]*$/);
  });

  test('schedules: five numeric fields that croner accepts, nothing else', () => {
    expect(cronSchedule(10)).toBe('*/10 * * * *');
    expect(cronSchedule(1)).toBe('* * * * *');
    expect(() => cronSchedule(60)).toThrow(/1 to 59/);
    expect(checkSchedule(' */5  * * * * ')).toBe('*/5 * * * *');
    for (const bad of ['*/5 * * * * *', '* * * *', '0 0 L * *', '0 0 * * 5#2', '@reboot', '*/70 * * * *', '0 25 * * *', 'rm -rf / * * * *']) {
      expect(() => checkSchedule(bad), bad).toThrow();
    }
  });

  test('paths that could break out of the shell line are refused', () => {
    expect(shellQuote('/opt/a b/cli.js')).toBe("'/opt/a b/cli.js'");
    for (const bad of ["/opt/it's/cli.js", '/opt/a\nb', '/opt/100%/cli.js', 'relative/cli.js']) expect(() => shellQuote(bad), bad).toThrow();
  });

  test('the CLI path is the running dist/cli.js, else the cli.js beside the bundle (or its chunks folder)', () => {
    expect(installedCliPath('/nonexistent/bin/zimbra-harden', 'file:///usr/lib/zh/dist/chunks/monitor-ABC.js')).toBe('/usr/lib/zh/dist/cli.js');
    expect(installedCliPath(undefined, 'file:///usr/lib/zh/dist/cli.js')).toBe('/usr/lib/zh/dist/cli.js');
  });
});

describe('the monitor-cron control', () => {
  const settings: Settings = { monitor: monitorSchema.parse({ intervalMinutes: 15 }) };

  test('change (write-file, no backup, 0644) until the file holds exactly the wanted content, then ok', async () => {
    const root = tempRoot();
    const host = new RealHost(root);
    const check = () => checkControl(monitorCronControl, { host, env: {} as never, settings, reads: [] });
    expect(monitorCronControl.reads({} as never, settings)).toEqual([]);
    const [item] = await check();
    expect(item).toMatchObject({ control: 'monitor-cron', subject: CRON_FILE, status: 'change' });
    const action = item!.actions[0]!;
    expect(action).toMatchObject({ kind: 'write-file', path: CRON_FILE, mode: 0o644, backup: false });
    if (action.kind !== 'write-file') throw new Error('write-file expected');
    expect(action.content).toContain(`*/15 * * * * root '${process.execPath}'`);
    expect(action.content).toContain(`--root '${root}' monitor --quiet`);
    expect(action.diff).toContain('+# zimbra-harden: monitor');
    await host.mkdir('/etc/cron.d');
    await host.writeFileAtomic(CRON_FILE, action.content, { mode: 0o644 });
    expect((await check())[0]).toMatchObject({ status: 'ok', actions: [] });
    await host.writeFileAtomic(CRON_FILE, action.content.replace('*/15', '*/5'), { mode: 0o644 });
    expect((await check())[0]!.status).toBe('change');
  });

  test('a config file other than the default is carried into the cron line, so the run finds its report channels', async () => {
    const host = new RealHost(tempRoot());
    const [item] = await checkControl(monitorCronControl, { host, env: {} as never, settings, reads: [], configPath: '/srv/zh conf/config.json' });
    const action = item!.actions[0]!;
    if (action.kind !== 'write-file') throw new Error('write-file expected');
    expect(action.content).toContain(`--config '/srv/zh conf/config.json' monitor --quiet`);
  });

  test('cron install|show --interval: the range of monitor.intervalMinutes, naming the flag', async () => {
    for (const command of ['install', 'show']) {
      const result = await cli(['--root', tempRoot(), 'cron', command, '--interval', '60']);
      expect(result.exitCode).toBe(64);
      expect(result.stderr).toBe('zimbra-harden: --interval: 60 is not a number of minutes from 1 to 59');
    }
  });

  test('skipped while the monitor is not configured', async () => {
    const [item] = await checkControl(monitorCronControl, { host: new RealHost(tempRoot()), env: {} as never, settings: {}, reads: [] });
    expect(item!.status).toBe('skip');
  });
});

describe('from cron', () => {
  test('install, run the command part with an empty environment, remove', async () => {
    // a simulated server whose zmprov lists the domain, so the cron command needs nothing else
    const { root } = await sandbox('8.8.15', { domains: ['example.com'] });
    const cli = CLI;
    put(root, '/var/log/zimbra.log', fixture('recipe-fwd-only.log'));
    const install = () => execFileSync(process.execPath, [cli, '--root', root, 'cron', 'install', '--yes', '--interval', '10'], { encoding: 'utf8' });
    expect(install()).toContain('changed');
    expect(install()).toContain('already up to date');
    const cronFile = join(root, CRON_FILE);
    expect(statSync(cronFile).mode & 0o777).toBe(0o644);
    const line = readFileSync(cronFile, 'utf8').trimEnd().split('\n').at(-1)!;
    const command = line.replace(/^(\S+\s+){5}root\s+/, '');
    expect(command).toBe(`'${process.execPath}' '${cli}' --root '${root}' monitor --quiet`);

    // cron runs `/bin/sh -c <command>` with almost no environment
    const result = spawnSync('env', ['-i', '/bin/sh', '-c', command], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('bob@example.com: Forged-sender relaying');
    // next run: nothing new, quiet means silent
    const again = spawnSync('env', ['-i', '/bin/sh', '-c', command], { encoding: 'utf8' });
    expect(again).toMatchObject({ status: 0, stdout: '', stderr: '' });

    expect(execFileSync(process.execPath, [cli, '--root', root, 'cron', 'remove', '--yes'], { encoding: 'utf8' })).toContain('removed');
    expect(() => statSync(cronFile)).toThrow();
  });

  test('apply --config FILE installs a line that reads FILE: cron show calls it ours, and the run mails where FILE says', async () => {
    const { root } = await sandbox('8.8.15', { domains: ['example.com'] });
    put(root, '/var/log/zimbra.log', fixture('recipe-fwd-only.log'));
    const smtp = await smtpServer();
    const config = join(dirname(root), 'other settings.json');
    const apply = await cli(['--root', root, 'apply', '--config', config, '--only', 'monitor-cron', '--report-to', 'ops@example.org', '--smtp-port', String(smtp.port), '--yes']);
    expect(apply.stderr).toBe('');
    expect(apply.exitCode).toBe(0);

    const line = readFileSync(join(root, CRON_FILE), 'utf8').trimEnd().split('\n').at(-1)!;
    expect(line).toContain(`--root '${root}' --config '${config}' monitor --quiet`);
    const show = await cli(['--root', root, '--config', config, 'cron', 'show']);
    expect(show.stdout).toContain(`${CRON_FILE}: installed and up to date`);
    const audit = await cli(['--root', root, '--config', config, '--json', 'audit', '--only', 'monitor-cron']);
    expect(audit.stdout).toContain('"status":"ok"');

    // the line as cron runs it: the report goes to the smarthost and address of FILE, not of the default config
    const command = line.replace(/^(\S+\s+){5}root\s+/, '');
    const run = await execa('env', ['-i', '/bin/sh', '-c', command], { reject: false });
    expect(run.stderr).toBe('');
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.to).toEqual(['ops@example.org']);
  });
});
