import { expect, it } from 'vitest';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { run, sandbox } from './helpers.js';

it('the call log never holds a password set with sp or ca (batch or single command)', async () => {
  const info = await sandbox('8.8.15');
  const before = (await readLdap(info.root)).accounts['alice@example.com']?.userPassword;
  const batch = await run(info, 'zmprov', ['-l'], 'sp alice@example.com "S3cret pass"\nca new@example.com Secret!42\nexit\n');
  expect(batch.exitCode).toBe(0);
  const single = await run(info, 'zmprov', ['-l', 'setPassword', 'bob@example.com', 'Other5ecret']);
  expect(single.exitCode).toBe(0);
  expect((await readLdap(info.root)).accounts['alice@example.com']?.userPassword).not.toEqual(before);
  const calls = JSON.stringify(await readCalls(info.root));
  expect(calls).not.toMatch(/S3cret|Secret!42|Other5ecret/);
  const [first, second] = (await readCalls(info.root)).filter((c) => c.tool === 'zmprov');
  expect(first!.stdin).toEqual(['sp alice@example.com ********', 'ca new@example.com ********', 'exit']);
  expect(second!.argv).toEqual(['-l', 'setPassword', 'bob@example.com', '********']);
});
