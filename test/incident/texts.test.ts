import { expect, it } from 'vitest';
import type { ExecOptions, Host } from '../../src/host/host.js';
import { delistingRequest } from '../../src/incident/delisting-request.js';
import { newPassword, withPassword } from '../../src/incident/password.js';
import { zmprovBatchInput } from '../../src/zimbra/zmprov-batch.js';

it('the delisting request states what happened and only what was done, in UTC', () => {
  const text = delistingRequest({
    hostname: 'mail.a.example',
    ip: '203.0.113.25',
    account: 'carol@a.example',
    first: Date.UTC(2024, 9, 30, 7, 59),
    last: Date.UTC(2024, 9, 30, 8, 41),
    forgedSenders: true,
    at: new Date(Date.UTC(2024, 9, 30, 9, 12)),
    done: new Set(['lock', 'password', 'sessions', 'queued-mail', 'restart']),
    queued: { count: 47, deleted: false },
  });
  expect(text).toBe(`Subject: Delisting request for 203.0.113.25 (mail.a.example)

Hello,

Our mail server mail.a.example (203.0.113.25) sent spam between 2024-10-30 07:59 UTC and 2024-10-30 08:41 UTC. The cause was one user account, carol@a.example, whose password had been stolen: the spammer logged in with it and used our server to relay mail with forged sender addresses.

On 2024-10-30 at 09:12 UTC we:
- locked the account, so that no one can log in with it any more;
- gave it a new random password and invalidated all of its existing sessions;
- held the 47 messages it still had in our queue: they will not be delivered;
- restarted our SMTP service to cut the connections the spammer still had open.

Please remove 203.0.113.25 from your block list.

Thank you,
postmaster@a.example
`);
});

it('new passwords: 20 characters, every class, never twice the same', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const p = newPassword();
    expect(p).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[-_.+=%])[A-Za-z0-9\-_.+=%]{20}$/);
    seen.add(p);
  }
  expect(seen.size).toBe(200);
});

it('only zmprov’s standard input gets the password, in place of the placeholder line', async () => {
  const seen: { command: string; input?: string }[] = [];
  const host = {
    root: '/',
    exec: async (command: string, _args: readonly string[], options?: ExecOptions) => {
      seen.push({ command, input: options?.input });
      return { command: [command], exitCode: 0, stdout: '', stderr: '', failedToStart: false, durationMs: 0 };
    },
    currentUser: () => 'root',
  } as unknown as Host;
  const wrapped = withPassword(host, '/opt/zimbra/bin/zmprov', 'carol@a.example', '********', 'n3w"Pass');
  const input = zmprovBatchInput([['ma', 'carol@a.example', 'zimbraAccountStatus', 'locked'], ['sp', 'carol@a.example', '********']]);
  await wrapped.exec('/opt/zimbra/bin/zmprov', ['-l'], { input });
  await wrapped.exec('/usr/bin/other', [], { input });
  expect(seen[0]!.input).toBe('ma carol@a.example zimbraAccountStatus locked\nsp carol@a.example "n3w\\"Pass"\nexit\n');
  expect(seen[1]!.input).toBe(input);
  expect(wrapped.currentUser()).toBe('root');
});
