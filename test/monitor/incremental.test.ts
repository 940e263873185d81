import { readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { append, fixture, monitorOn, put, tempRoot } from './helpers.js';

const recipe = fixture('recipe-fwd-only.log');
/** The recipe log in two halves: bob's relaying is in the second one. */
const cut = recipe.indexOf('Oct 30 08:49:18');
const before = recipe.slice(0, cut);
const after = recipe.slice(cut);
const later = fixture('relay-mail-id.log');
/** Subjects of the relaying findings (bob also uses three forged senders within the hour in the combined logs: a stolen-account finding too). */
const relays = (findings: { type: string; subject: string }[]) => findings.filter((f) => f.type === 'forged-sender-relay').map((f) => f.subject).sort();

describe('incremental runs', () => {
  test('a second run over an unchanged log reads nothing and reports nothing', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', recipe);
    const first = await monitorOn(root);
    expect(first.findings).toHaveLength(1);
    const second = await monitorOn(root);
    expect(second).toMatchObject({ findings: [], bytesRead: 0 });
  });

  test('only what was appended is read; a finding seen again is not reported twice', async () => {
    const root = tempRoot();
    const file = put(root, '/var/log/zimbra.log', before);
    expect((await monitorOn(root)).findings).toEqual([]);
    append(file, after);
    const second = await monitorOn(root);
    expect(second.bytesRead).toBe(Buffer.byteLength(after, 'latin1'));
    expect(second.findings.map((f) => f.subject)).toEqual(['bob@example.com']);
    // the same account relays again ten minutes later: already reported today
    const again = (text: string, from: string, to: string) => text.replaceAll(from, to).replace(/\b[0-9A-F]{10}\b/g, (q) => [...q].reverse().join(''));
    append(file, again(after, '08:5', '09:0'));
    const third = await monitorOn(root);
    expect(third.findings).toEqual([]);
    expect(third.suppressed).toBe(1);
    // the next day it is reported again
    append(file, again(after, 'Oct 30', 'Oct 31'), new Date(2024, 9, 31, 18, 0));
    const nextDay = await monitorOn(root, { now: new Date(2024, 9, 31, 18, 5) });
    expect(nextDay.findings.map((f) => f.subject)).toEqual(['bob@example.com']);
  });

  test('a half-written last line is read once it is complete', async () => {
    const root = tempRoot();
    const lastNewline = recipe.lastIndexOf('\n', recipe.length - 2);
    const file = put(root, '/var/log/zimbra.log', recipe.slice(0, lastNewline + 30));
    const first = await monitorOn(root);
    append(file, recipe.slice(lastNewline + 30));
    const second = await monitorOn(root);
    expect(first.bytesRead + second.bytesRead).toBe(Buffer.byteLength(recipe, 'latin1'));
    expect([...first.findings, ...second.findings].map((f) => f.subject)).toEqual(['bob@example.com']);
  });

  for (const [name, rotate] of [
    ['renamed to zimbra.log.1', (dir: string) => renameSync(join(dir, 'zimbra.log'), join(dir, 'zimbra.log.1'))],
    [
      'compressed to zimbra.log.1.gz',
      (dir: string) => {
        writeFileSync(join(dir, 'zimbra.log.1.gz'), gzipSync(readFileSync(join(dir, 'zimbra.log'))));
        rmSync(join(dir, 'zimbra.log'));
      },
    ],
    ['date-suffixed (dateext)', (dir: string) => renameSync(join(dir, 'zimbra.log'), join(dir, 'zimbra.log-20241030'))],
  ] as const) {
    test(`rotation, ${name}: the rest of the old file and the new file, nothing twice`, async () => {
      const root = tempRoot();
      const file = put(root, '/var/log/zimbra.log', before);
      await monitorOn(root);
      append(file, after); // written after our run, before the rotation
      rotate(join(root, 'var/log'));
      put(root, '/var/log/zimbra.log', later, new Date(2024, 9, 30, 18, 1));
      const run = await monitorOn(root);
      expect(run.bytesRead).toBe(Buffer.byteLength(after + later, 'latin1'));
      expect(relays(run.findings)).toEqual(['bob@example.com', 'dave@example.com']);
      expect((await monitorOn(root)).bytesRead).toBe(0);
    });
  }

  test('copytruncate (cbpolicyd.log): the copy holds the unread lines, the truncated file starts over', async () => {
    const root = tempRoot();
    const policyd = fixture('cbpolicyd.log').split('\n');
    const file = put(root, '/opt/zimbra/log/cbpolicyd.log', `${policyd[0]}\n`);
    expect((await monitorOn(root)).findings).toEqual([]);
    append(file, `${policyd[1]}\n`);
    // logrotate copytruncate: copy, then truncate in place (same inode)
    put(root, '/opt/zimbra/log/cbpolicyd.log.1', `${policyd[0]}\n${policyd[1]}\n`);
    truncateSync(file, 0);
    append(file, `${policyd[2]}\n`);
    const run = await monitorOn(root);
    expect(run.findings).toHaveLength(1);
    expect(run.findings[0]!.counts.deferredByQuota).toBe(2);
  });

  test('a log truncated without a copy is read again from its start, with a warning', async () => {
    const root = tempRoot();
    const file = put(root, '/var/log/zimbra.log', recipe);
    await monitorOn(root);
    writeFileSync(file, later);
    put(root, '/var/log/zimbra.log', later);
    const run = await monitorOn(root);
    expect(run.warnings.join(' ')).toContain('lost the position');
    // bob's relaying was reported by the first run already
    expect(relays(run.findings)).toEqual(['dave@example.com']);
    expect(run.suppressed).toBe(1);
  });

  test('two overlapping runs: the second finds the lock and reads nothing', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', recipe);
    const [a, b] = await Promise.all([monitorOn(root), monitorOn(root)]);
    expect([a.locked, b.locked].sort()).toEqual([false, true]);
    const done = a.locked ? b : a;
    expect(done.findings).toHaveLength(1);
    expect((a.locked ? a : b).bytesRead).toBe(0);
    // the lock is released afterwards
    expect((await monitorOn(root)).locked).toBe(false);
  });

  test('a lock left by a dead process is taken over', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', recipe);
    put(root, '/run/zimbra-harden/monitor.lock', '999999\n');
    expect((await monitorOn(root)).locked).toBe(false);
  });

  test('--since re-scans rotated files too and leaves the saved position alone', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log.2.gz', gzipSync(Buffer.from(recipe, 'latin1')), new Date(2024, 9, 30, 9, 0));
    put(root, '/var/log/zimbra.log', later);
    const triage = await monitorOn(root, { since: new Date(2024, 9, 30, 8, 0) });
    expect(relays(triage.findings)).toEqual(['bob@example.com', 'dave@example.com']);
    const narrower = await monitorOn(root, { since: new Date(2024, 9, 30, 9, 15) });
    expect(relays(narrower.findings)).toEqual(['dave@example.com']);
    // the incremental run still starts from scratch (the live file only): --since saved nothing
    expect(relays((await monitorOn(root)).findings)).toEqual(['bob@example.com', 'dave@example.com']);
  });
});
