import { join } from 'node:path';
import { expect, test, vi } from 'vitest';
import { createContext } from '../../src/commands/context.js';
import { runMonitorCommand } from '../../src/commands/monitor.js';
import { writeDemoLog } from '../../src/loggen/demo-log.js';
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
