import { execa } from 'execa';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { seedQueue } from '../../src/simulation/sandbox/queue/seed.js';
import { listMessages, queueFilePath } from '../../src/simulation/sandbox/queue/store.js';
import type { SandboxInfo } from '../../src/simulation/sandbox/create.js';
import { writeServices, readServices } from '../../src/simulation/sandbox/state.js';
import { toolPath, type ToolName } from '../../src/simulation/sandbox/tool-paths.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import { sandbox } from './helpers.js';

/** Runs a simulated tool with TZ=UTC, so asctime() output is fixed. */
async function run(info: SandboxInfo, tool: ToolName, args: string[], input = '') {
  const file = path.join(info.root, toolPath(tool, versionProfile(info.version)));
  const r = await execa(file, args, { input, reject: false, stripFinalNewline: false, env: { TZ: 'UTC' } });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

const REASON = 'connect to mx.example.net[192.0.2.7]:25: Connection timed out';

function seed(info: SandboxInfo): string[] {
  return seedQueue(info.root, [
    { id: '3F8C6D4AC61', queue: 'active', sender: 'alice@example.com', recipients: ['x@example.net', 'y@example.net'], arrival: new Date('2024-10-30T08:49:20Z'), size: 18059 },
    { id: 'C5B34D4ACEF', sender: 'bob@example.com', recipients: ['z@example.org'], reason: REASON, arrival: new Date('2024-10-03T07:05:09Z'), size: 35764 },
    { id: '252CED43D8C', queue: 'hold', sender: '', recipients: [{ address: 'spam@example.org' }], arrival: new Date('2024-10-30T06:48:32Z'), size: 3166 },
  ]);
}

describe('postqueue', () => {
  it('-p prints the queue as Postfix 3.x does: * active, ! held, reasons, recipients, footer', async () => {
    const info = await sandbox('10.1.0');
    seed(info);
    const r = await run(info, 'postqueue', ['-p']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      [
        '-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------',
        '3F8C6D4AC61*   18059 Wed Oct 30 08:49:20  alice@example.com',
        '                                         x@example.net',
        '                                         y@example.net',
        '',
        'C5B34D4ACEF   35764 Thu Oct  3 07:05:09  bob@example.com',
        '               (connect to mx.example.net[192.0.2.7]:25: Connection timed out)',
        '                                         z@example.org',
        '',
        '252CED43D8C!    3166 Wed Oct 30 06:48:32  MAILER-DAEMON',
        '                                         spam@example.org',
        '',
        '-- 55 Kbytes in 3 Requests.',
        '',
      ].join('\n'),
    );
  });

  it('-p on an empty queue; a warning when Postfix is stopped', async () => {
    const info = await sandbox('8.8.15');
    expect((await run(info, 'postqueue', ['-p'])).stdout).toBe('Mail queue is empty\n');
    await writeServices(info.root, { ...(await readServices(info.root)), mta: false });
    const down = await run(info, 'postqueue', ['-p']);
    expect(down.stderr).toBe('postqueue: warning: Mail system is down -- accessing queue directly\n');
    expect(down.exitCode).toBe(0);
  });

  it('-j prints one JSON object per message on Postfix 3.x (forced_expire from 3.5)', async () => {
    for (const [version, forced] of [['8.8.15', false], ['10.1.0', true]] as const) {
      const info = await sandbox(version);
      seed(info);
      const r = await run(info, 'postqueue', ['-j']);
      expect(r.exitCode).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[1]).toBe(
        `{"queue_name": "deferred", "queue_id": "C5B34D4ACEF", "arrival_time": 1727939109, "message_size": 35764, ${forced ? '"forced_expire": false, ' : ''}"sender": "bob@example.com", "recipients": [{"address": "z@example.org", "delay_reason": "${REASON}"}]}`,
      );
      expect(JSON.parse(lines[2]!)).toMatchObject({ queue_name: 'hold', sender: 'MAILER-DAEMON', recipients: [{ address: 'spam@example.org' }] });
    }
  });

  it('-j is an invalid option on the Postfix 2.x of ZCS 7.x–8.6: usage, exit 64', async () => {
    for (const version of ['7.2.7', '8.6.0'] as const) {
      const info = await sandbox(version);
      const r = await run(info, 'postqueue', ['-j']);
      expect(r.exitCode).toBe(64);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe("postqueue: invalid option -- 'j'\npostqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -p | postqueue -s site\n");
    }
    const modern = await sandbox('8.8.15');
    expect((await run(modern, 'postqueue', [])).stderr).toBe('postqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site\n');
  });

  it('lives at the release’s Postfix path', async () => {
    expect(toolPath('postqueue', versionProfile('8.6.0'))).toBe('/opt/zimbra/postfix/sbin/postqueue');
    expect(toolPath('postsuper', versionProfile('8.8.15'))).toBe('/opt/zimbra/common/sbin/postsuper');
  });
});

describe('postsuper', () => {
  it('-h - holds the ids read from stdin, one line each, then the total; -H releases to deferred', async () => {
    const info = await sandbox('8.8.15');
    const [active, deferred] = seed(info);
    const hold = await run(info, 'postsuper', ['-h', '-'], `${active}\n${deferred}\nNOT*AN*ID\nFFFFFFFFFFF\n`);
    expect(hold.exitCode).toBe(0);
    expect(hold.stderr).toBe(
      `postsuper: ${active}: placed on hold\npostsuper: ${deferred}: placed on hold\npostsuper: warning: invalid mail queue id: NOT*AN*ID\npostsuper: Placed on hold: 2 messages\n`,
    );
    expect(listMessages(info.root).map((m) => [m.id, m.queue])).toEqual([
      ['252CED43D8C', 'hold'],
      ['3F8C6D4AC61', 'hold'],
      ['C5B34D4ACEF', 'hold'],
    ]);
    expect((await stat(queueFilePath(info.root, 'hold', active!))).mode & 0o777).toBe(0o700);
    expect((await readCalls(info.root)).at(-1)).toMatchObject({ tool: 'postsuper', argv: ['-h', '-'], stdin: [active, deferred, 'NOT*AN*ID', 'FFFFFFFFFFF'] });

    const release = await run(info, 'postsuper', ['-H', active!]);
    expect(release.stderr).toBe(`postsuper: ${active}: released from hold\npostsuper: Released from hold: 1 message\n`);
    expect(listMessages(info.root).find((m) => m.id === active)?.queue).toBe('deferred');
    const log = await readFile(path.join(info.root, 'var/log/zimbra.log'), 'utf8');
    expect(log).toMatch(new RegExp(`postfix/postsuper\\[\\d+\\]: ${active}: released from hold\\n`));
  });

  it('-d ALL deferred deletes one queue only; nothing found prints nothing', async () => {
    const info = await sandbox('8.6.0');
    seed(info);
    const r = await run(info, 'postsuper', ['-d', 'ALL', 'deferred']);
    expect(r).toMatchObject({ exitCode: 0, stderr: 'postsuper: Deleted: 1 message\n' });
    expect(listMessages(info.root).map((m) => m.queue)).toEqual(['active', 'hold']);
    expect(await run(info, 'postsuper', ['-d', 'ABCDEF12345'])).toMatchObject({ exitCode: 0, stderr: '' });
  });

  it('rejects unknown options and queue names as Postfix does (exit 1)', async () => {
    const info = await sandbox('10.1.0');
    const bad = await run(info, 'postsuper', ['-x']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^postsuper: invalid option -- 'x'\npostsuper: fatal: usage: postsuper \[-c config_dir\] \[-d queue_id \(delete\)\] \[-e queue_id \(expire\)\]/);
    expect(await run(info, 'postsuper', ['-d', 'ALL', 'nowhere'])).toMatchObject({ exitCode: 1, stderr: 'postsuper: fatal: invalid directory name: nowhere\n' });
  });
});
