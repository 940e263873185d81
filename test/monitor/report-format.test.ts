import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { actionsFor } from '../../src/monitor/actions.js';
import { renderReport, reportSubject, runnableAction } from '../../src/monitor/report.js';
import type { Finding } from '../../src/monitor/types.js';

const T0 = '2024-10-30T08:49:20.000Z';
const T1 = '2024-10-30T09:12:00.000Z';
const FWD = (n: number) =>
  `Oct 30 08:${String(49 + n).padStart(2, '0')}:20 mail amavis[18001]: (18001-16) FWD from <forged${n}@yahoo.com> -> ${Array.from({ length: 40 }, (_, i) => `<victim${i}@gmail.com>`).join(',')},BODY=7BIT 250 2.0.0 Ok`;
const LEGIT = 'Oct 30 09:10:00 mail amavis[18009]: (18009-01) Passed CLEAN {RelayedInternal}, ORIGINATING LOCAL [127.0.0.1] <bob@example.com> -> <alice@example.com>';

function finding(type: Finding['type'], fields: Partial<Finding>): Finding {
  return { type, key: `${type}:${fields.subject ?? 'bob@example.com'}`, subject: 'bob@example.com', firstSeen: T0, lastSeen: T1, counts: {}, reasons: [], evidence: [], actions: [], ...fields };
}

const bob = 'bob@example.com';
const relay = finding('forged-sender-relay', {
  account: bob,
  origin: 'smtp-auth',
  counts: { messages: 31, outsideRecipients: 750, forgedSenders: 30, clientIps: 2 },
  reasons: ['mail to outside recipients with envelope senders that are not ours'],
  evidence: [FWD(0), FWD(1)],
  clientIps: ['203.0.113.5', '198.51.100.7'],
  actions: actionsFor('forged-sender-relay', bob),
});
const stolen = finding('stolen-account', {
  account: bob,
  origin: 'smtp-auth',
  firstSeen: '2024-10-30T08:55:00.000Z',
  counts: { messages: 25, recipients: 700, outsideRecipients: 690, peakRecipientsInWindow: 720, networksInWindow: 3 },
  reasons: ['more than 300 recipients in 60 min'],
  evidence: [FWD(1), LEGIT],
  clientIps: ['198.51.100.7', '192.0.2.44'],
  actions: actionsFor('stolen-account', bob),
});
const queue = finding('deferred-queue', { subject: 'deferred queue', key: 'deferred-queue:deferred queue', counts: { deferrals: 230, peakInWindow: 210 }, actions: actionsFor('deferred-queue', undefined) });
const meta = { hostname: 'mail.example.com', bytesRead: 1000, files: ['/var/log/zimbra.log'] };

describe('the report, read at 3 a.m.', () => {
  const text = renderReport([queue, stolen, relay], meta);
  const lines = text.split('\n');

  test('one block per account, relaying and stolen-account evidence merged; the account in the subject', () => {
    expect(lines[0]).toBe('zimbra-harden monitor on mail.example.com: 1 account to act on, 1 other finding (3 findings in all)');
    expect(lines.filter((l) => /^\d+\. /.test(l))).toEqual(['1. bob@example.com: Forged-sender relaying, Stolen account (SMTP AUTH)', '2. deferred queue: Deferred queue growing']);
    expect(reportSubject([queue, stolen, relay], 'mail.example.com')).toBe('[zimbra-harden] mail.example.com: bob@example.com (relaying, stolen account); deferred queue');
  });

  test('the attacker IPs, each once on its own line, as many as the count says', () => {
    const at = lines.indexOf('   Client IPs (3), one per line for a firewall:');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4).map((l) => l.trim())).toEqual(['203.0.113.5', '198.51.100.7', '192.0.2.44']);
    expect(lines.find((l) => l.startsWith('   Counts: '))).toContain('client IPs 3');
  });

  test('counts that agree: the messages are counted once, by the relaying finding', () => {
    const counts = lines.filter((l) => l.startsWith('   Counts: '));
    expect(counts[0]).toBe('   Counts: messages 31, outside recipients 750, forged senders 30, peak recipients in window 720, networks in window 3, client IPs 3');
    expect(lines.find((l) => l.startsWith('  - bob'))).toBe('  - bob@example.com — relaying, stolen account: messages 31, outside recipients 750, client IPs 3');
  });

  test('evidence: only the suspicious lines, each cut to 160 characters', () => {
    const evidence = lines.filter((l) => l.startsWith('     | ')).map((l) => l.slice(7));
    expect(evidence).toHaveLength(2);
    expect(evidence.every((l) => l.length === 160 && l.endsWith('…'))).toBe(true);
    expect(evidence[0]).toContain('FWD from <forged0@yahoo.com>');
    expect(text).not.toContain('{RelayedInternal}');
  });

  test('commands that work as printed: sudo on the server, every value quoted', () => {
    expect(text).toContain("     sudo zimbra-harden contain 'bob@example.com'   # lock it");
    expect(text).toContain('     sudo zimbra-harden audit   #');
    expect(text).toContain("Triage: sudo zimbra-harden monitor --since '2h'");
  });

  test('on a simulated host: --root DIR and --config FILE, quoted, without sudo', () => {
    const sandboxed = renderReport([relay], { ...meta, root: '/srv/zimbra test', config: '/srv/my config.json' });
    expect(sandboxed).toContain("     zimbra-harden --root '/srv/zimbra test' --config '/srv/my config.json' contain 'bob@example.com'   #");
    expect(sandboxed).not.toContain('sudo');
  });

  test('a hostile account name reaches the command as one word, unchanged', () => {
    const evil = "o'neil$(touch /tmp/x) `id`@example.com";
    const command = runnableAction(actionsFor('stolen-account', evil)[0]!, { root: '/srv/box' }, evil);
    const words = command.slice(0, command.indexOf('   #'));
    // the shell gives printf exactly the words a pasted command would get
    const parsed = execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${words}`], { encoding: 'utf8' });
    expect(parsed.split('\n').slice(0, -1)).toEqual(['zimbra-harden', '--root', '/srv/box', 'contain', evil]);
  });
});
