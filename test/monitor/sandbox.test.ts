import { join } from 'node:path';
import { expect, test, vi } from 'vitest';
import { createContext } from '../../src/commands/context.js';
import { runMonitorCommand } from '../../src/commands/monitor.js';
import { writeDemoLog } from '../../src/simulation/loggen/demo-log.js';
import { sandbox } from '../helpers/sandbox.js';

test('on a simulated Zimbra host: domains from zmprov -l gad, the compromised account found', async () => {
  const host = await sandbox('8.8.15');
  const victim = host.accounts.find((a) => !a.startsWith('admin@')) ?? host.accounts[0]!;
  await writeDemoLog(join(host.root, 'var/log/zimbra.log'), { domains: ['a.example', 'b.example'], accounts: host.accounts, compromised: victim });
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  let code: number;
  try {
    code = await runMonitorCommand(createContext({ root: host.root }), { mail: true });
  } finally {
    spy.mockRestore();
  }
  expect(code).toBe(2);
  const report = out.join('');
  expect(report).toMatch(new RegExp(`^1\\. ${victim.replace('.', '\\.')}: Forged-sender relaying, Stolen account \\(SMTP AUTH\\)$`, 'm'));
  // as printed, it works when pasted: the sandbox's root and the account quoted
  expect(report).toContain(`zimbra-harden --root '${host.root}' contain '${victim}'`);
  expect(report.split('\n')[0]).toContain(host.hostname);
});

test('names only accounts zmprov -l gaa lists: a made-up sender of our domain from the mailbox server is no account', async () => {
  const host = await sandbox('8.8.15');
  const real = host.accounts.find((a) => a.endsWith('@a.example') && !a.startsWith('admin@'))!;
  const lines = (sender: string, from: number) =>
    Array.from({ length: 120 }, (_, i) => {
      const n = from + i;
      return `Oct 30 08:49:20 mail amavis[2526]: (02526-${n}) Passed CLEAN {RelayedOutbound}, ORIGINATING/MYNETS LOCAL [127.0.0.1]:51000 [10.0.0.5] <${sender}> -> <v${n}@gmail.com>,<w${n}@gmail.com>,<z${n}@gmail.com>, Queue-ID: 2F3A${String(n).padStart(4, '0')}D, Message-ID: <m${n}@x>, mail_id: abc${n}, Hits: -1, size: 1234, queued_as: 3A4B${String(n).padStart(4, '0')}E, 100 ms`;
    });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(host.root, 'var/log/zimbra.log'), `${[...lines('ghost@a.example', 0), ...lines(real, 500)].join('\n')}\n`);
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  try {
    await runMonitorCommand(createContext({ root: host.root, json: true }), { mail: true, peek: true });
  } finally {
    spy.mockRestore();
  }
  const findings = out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; account?: string });
  const named = findings.filter((f) => f.type === 'finding').map((f) => f.account);
  expect(named).toContain(real);
  expect(named).not.toContain('ghost@a.example');
});
