import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { catchAllStep } from '../../src/wizard/steps/catch-all.js';
import { CLI, cli, sandbox } from '../helpers/sandbox.js';
import { terminal } from '../helpers/tmux.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
const ESC = '\x1b[';
const STATUS = /^(ok|change|drift|skip|fail) /;

async function recording(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zh-tty-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'terminal.log');
}

describe('on a terminal', () => {
  it('at 60 columns the plan wraps at word boundaries under a short indent; a spinner shows while the server is read; colours', async () => {
    const box = await sandbox('8.8.15');
    const record = await recording();
    const tty = await terminal([process.execPath, CLI, '--root', box.root, 'plan', ...CATCH_ALL], { width: 60, height: 300, record });
    expect(await tty.exitCode()).toBe(0);
    const rows = (await tty.rows()).filter((row) => row.trim() !== '' && !row.startsWith('EXIT='));
    expect(rows.find((row) => row.length > 60)).toBeUndefined();
    // Nothing falls back to column 0: every row is a status line, the server line, the recap, or indented.
    expect(rows.filter((row) => !STATUS.test(row) && !/^\s/.test(row) && !/^(ZCS |Plan: |This plan )/.test(row))).toEqual([]);
    expect(rows.some((row) => /^ {4}\S/.test(row))).toBe(true);
    // The long zmprov line was wrapped between words: each row's words are words of the command.
    const command = 'would run: zmprov ms mail.a.example +zimbraServiceInstalled cbpolicyd +zimbraServiceEnabled cbpolicyd';
    const start = rows.findIndex((row) => row.includes('would run: zmprov ms'));
    let wrapped = rows[start]!.trim();
    for (let i = start + 1; wrapped.length < command.length; i++) wrapped += ` ${rows[i]!.trim()}`;
    expect(wrapped).toBe(command);
    expect(rows[start + 1]).toMatch(/^ {4}\S/);

    expect((await tty.rows(true)).join('\n')).toContain(ESC);
    expect(await readFile(record, 'utf8')).toContain('Reading the server');
  });

  it('at 120 columns the wizard explains without breaking a word', async () => {
    const box = await sandbox('8.8.15');
    const tty = await terminal([process.execPath, CLI, '--root', box.root], { width: 120, height: 80 });
    await tty.waitFor(/Which domains get a catch-all\?/);
    const rows = await tty.rows();
    const first = rows.findIndex((row) => row.startsWith('Spam arrives'));
    const shown = rows.slice(first, rows.findIndex((row, i) => i > first && row.includes('Which domains')));
    const paragraph = shown.filter((row) => row.trim() !== '');
    expect(paragraph.length).toBeGreaterThan(1);
    expect(paragraph.find((row) => row.length > 120)).toBeUndefined();
    expect(paragraph.join(' ')).toBe(catchAllStep.why);
    await tty.keys('C-c');
    expect(await tty.exitCode()).toBe(130);
  });

  it('NO_COLOR and --no-color turn colour off', async () => {
    const box = await sandbox('8.8.15');
    for (const [args, env] of [[[], { NO_COLOR: '1' }], [['--no-color'], {}]] as const) {
      const tty = await terminal([process.execPath, CLI, '--root', box.root, ...args, '-q', 'audit', ...CATCH_ALL], { width: 160, env });
      expect(await tty.exitCode()).toBe(0);
      const rows = await tty.rows(true);
      expect(rows.some((row) => row.includes('drift'))).toBe(true);
      expect(rows.join('\n')).not.toContain(ESC);
    }
  });
});

describe('not on a terminal', () => {
  it('no spinner, and lines stay whole for grep and logs', async () => {
    const box = await sandbox('8.8.15');
    const result = await cli(['--root', box.root, 'plan', ...CATCH_ALL]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).not.toContain('Reading the server');
    expect(result.stdout).toMatch(/^ +would run: zmprov ms mail\.a\.example \+zimbraServiceInstalled cbpolicyd \+zimbraServiceEnabled cbpolicyd$/m);
  });
});
