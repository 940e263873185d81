import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { monitorOn, put, tempRoot } from './helpers.js';
import { HOUR, MIN, sent, stamp } from './log-lines.js';

const DAY0 = new Date(2024, 9, 28, 8, 0).getTime();
const text = (lines: string[]) => `${lines.join('\n')}\n`;

/** Two days of an account's ordinary mail from its office network. */
function history(account: string, ip: string): string[] {
  const lines: string[] = [];
  for (let h = 0; h < 48; h += 3) lines.push(...sent({ t: DAY0 + h * HOUR, account, ip, to: [`client${h}@partner.example`] }).lines);
  return lines;
}

describe('credential stuffing: one login from networks never seen for the account', () => {
  const start = DAY0 + 50 * HOUR;
  function stuffing(networks: number, account = 'carol@example.com'): string[] {
    const lines: string[] = [];
    // the burst of failed logins against many accounts first (Postfix does not log the names)
    for (let i = 0; i < 40; i++) lines.push(`${stamp(start - 30 * MIN + i * 10_000)} mail postfix/submission/smtpd[4100]: warning: unknown[185.220.${i}.9]: SASL LOGIN authentication failed: UGFzc3dvcmQ6`);
    // then the login that worked, from a new network every few minutes, each sending a few mails as the account
    for (let i = 0; i < networks; i++) {
      for (let k = 0; k < 2; k++) lines.push(...sent({ t: start + i * 6 * MIN + k * MIN, account, ip: `${41 + i * 7}.${20 + i}.33.${k + 2}`, to: [`x${i}${k}@gmail.com`, `y${i}${k}@yahoo.com`] }).lines);
    }
    return lines;
  }

  test('reported within the first hour of sending, with the new networks named', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', text([...history('carol@example.com', '192.0.2.44'), ...stuffing(10)]), new Date(start + HOUR));
    const { findings } = await monitorOn(root, { now: new Date(start + HOUR), since: new Date(DAY0) });
    const stolen = findings.filter((f) => f.type === 'stolen-account');
    expect(stolen.map((f) => f.subject)).toEqual(['carol@example.com']);
    expect(stolen[0]!.reasons.join(' ')).toContain('never seen for this account');
    expect(Date.parse(stolen[0]!.firstSeen) - start).toBeLessThan(HOUR);
    expect(stolen[0]!.reasons.join(' ')).toMatch(/new networks: 41\.20\.0\.0\/16/);
  });

  test('a travelling user on three new networks stays quiet', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', text([...history('dan@example.com', '192.0.2.45'), ...stuffing(3, 'dan@example.com').filter((l) => !l.includes('authentication failed'))]), new Date(start + HOUR));
    expect((await monitorOn(root, { now: new Date(start + HOUR), since: new Date(DAY0) })).findings).toEqual([]);
  });

  test('in cron mode the first run learns the usual networks from the rotated logs already on disk', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log.1.gz', gzipSync(Buffer.from(text(history('carol@example.com', '192.0.2.44')), 'latin1')), new Date(DAY0 + 48 * HOUR));
    put(root, '/var/log/zimbra.log', text(stuffing(10)), new Date(start + HOUR));
    const run = await monitorOn(root, { now: new Date(start + HOUR) });
    expect(run.findings.filter((f) => f.type === 'stolen-account').map((f) => f.subject)).toEqual(['carol@example.com']);
    // what the rotated log held was learnt from, not reported
    expect(run.findings.every((f) => Date.parse(f.firstSeen) >= start)).toBe(true);
  });
});

describe('private addresses as sender', () => {
  test('a user sending a few mails as their own freemail address: a low-severity note, not relaying', async () => {
    const root = tempRoot();
    const lines = [0, 1, 2].flatMap((i) => sent({ t: DAY0 + i * 20 * MIN, account: 'erin.walsh@example.com', sender: 'erin.walsh1987@gmail.com', ip: '192.0.2.50', to: [`friend${i}@outlook.com`] }).lines);
    put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    const { findings } = await monitorOn(root, { now: new Date(DAY0 + HOUR) });
    expect(findings.map((f) => `${f.type} ${f.subject} ${f.severity}`)).toEqual(['private-sender erin.walsh@example.com low']);
  });

  test('many forged senders through one login stay a relaying alarm', async () => {
    const root = tempRoot();
    const lines = [0, 1, 2].flatMap((i) => sent({ t: DAY0 + i * MIN, account: 'erin.walsh@example.com', sender: `promo${i}@gmail.com`, ip: '192.0.2.50', to: [`v${i}@outlook.com`] }).lines);
    put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    const { findings } = await monitorOn(root, { now: new Date(DAY0 + HOUR) });
    expect(findings.map((f) => `${f.type} ${f.severity}`)).toContain('forged-sender-relay high');
  });
});

describe('mail from the mailbox servers without a login', () => {
  test('a sender that is no account is never named as one, and every command is shell-safe', async () => {
    const root = tempRoot();
    const at = stamp(DAY0);
    const lines: string[] = [];
    for (let i = 0; i < 120; i++) {
      lines.push(
        `${at} mail amavis[2526]: (02526-${i}) Passed CLEAN {RelayedOutbound}, ORIGINATING/MYNETS LOCAL [127.0.0.1]:51000 [10.0.0.5] <x|reboot|y@example.com> -> <v${i}@gmail.com>,<w${i}@gmail.com>,<z${i}@gmail.com>, Queue-ID: 2F3A${String(i).padStart(4, '0')}D, Message-ID: <m${i}@x>, mail_id: abc${i}, Hits: -1, size: 1234, queued_as: 3A4B${String(i).padStart(4, '0')}E, 100 ms`,
      );
    }
    put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    const { findings } = await monitorOn(root, { now: new Date(DAY0 + HOUR) });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.some((f) => f.account === 'x|reboot|y@example.com')).toBe(false);
    for (const a of findings.flatMap((f) => f.actions)) expect(a).not.toMatch(/contain x\|reboot/);
  });

  test('with the account list, only its accounts are named', async () => {
    const root = tempRoot();
    const lines = [0, 1, 2].flatMap((i) => sent({ t: DAY0 + i * MIN, account: "o'hara@example.com", sender: `promo${i}@gmail.com`, ip: '192.0.2.50', to: [`v${i}@outlook.com`] }).lines);
    put(root, '/var/log/zimbra.log', text(lines), new Date(DAY0 + HOUR));
    const { findings } = await monitorOn(root, { now: new Date(DAY0 + HOUR), accounts: ["o'hara@example.com"] });
    expect(findings[0]!.actions[0]).toMatch(/^zimbra-harden contain 'o'\\''hara@example\.com' /);
  });
});

describe('a newsletter account (about 2,000 outside recipients a workday over SASL, from one address)', () => {
  function workday(day: number): string[] {
    const lines: string[] = [];
    for (let i = 0; i < 200; i++) {
      const to = Array.from({ length: 10 }, (_, k) => `sub${day}-${i}-${k}@isp${k}.example`);
      lines.push(...sent({ t: DAY0 + day * 24 * HOUR + i * 2.4 * MIN, account: 'news@example.com', ip: '192.0.2.80', to }).lines);
    }
    return lines;
  }

  test('is quiet once its earlier workdays are known', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', text([...workday(0), ...workday(1)]), new Date(DAY0 + 2 * 24 * HOUR));
    const quiet = await monitorOn(root, { now: new Date(DAY0 + 2 * 24 * HOUR), since: new Date(DAY0) });
    // its first day has no history: flagged then, never again
    expect(quiet.findings.filter((f) => Date.parse(f.firstSeen) >= DAY0 + 24 * HOUR)).toEqual([]);
  });

  test('without any history, the same day is flagged', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', text(workday(1)), new Date(DAY0 + 2 * 24 * HOUR));
    const { findings } = await monitorOn(root, { now: new Date(DAY0 + 2 * 24 * HOUR), since: new Date(DAY0) });
    expect(findings.map((f) => `${f.type} ${f.subject}`)).toEqual(['stolen-account news@example.com']);
  });
});
