import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { hardeningPlan, sessionOf } from '../../src/commands/session.js';
import { runSession } from '../../src/core/session.js';
import { createOutput } from '../../src/ui/output.js';
import { MemoryHost, zmprovBatch } from '../helpers/memory-host.js';
import { memoryContext } from './context.js';
import { change, observation, serverEnv, zmprov } from './plan-items.js';

const env = serverEnv();

test('apply -q prints the failed step, the recap and the error; nothing of what went well', async () => {
  const host = new MemoryHost()
    .on(env.paths.zmprov, zmprovBatch())
    .on(env.paths.zmmtactl, {})
    .on(env.paths.zmcbpolicydctl, { exitCode: 1, stderr: 'cbpolicyd failed to start\n' });
  const { ctx } = memoryContext(host, { quiet: true });
  let stdout = '';
  let stderr = '';
  ctx.out = createOutput({ quiet: true }, new PassThrough().on('data', (c) => (stdout += String(c))), new PassThrough().on('data', (c) => (stderr += String(c))));
  const obs = observation([
    change('catch-all', 'a.example', [zmprov('ma', 'admin@a.example', '+zimbraMailCatchAllAddress', '@a.example')]),
    change('cbpolicyd-service', env.hostname, [zmprov('ms', env.hostname, '+zimbraServiceEnabled', 'cbpolicyd')], { restart: ['mta', 'cbpolicyd'] }),
    { control: 'sender-login-match', subject: env.hostname, status: 'ok', message: 'already on', actions: [], restart: [] },
  ]);

  const { code } = await runSession({ ...sessionOf(ctx), consent: async () => true }, hardeningPlan(ctx, obs, {}));

  expect(code).toBe(1);
  expect(stdout).toMatch(/^failed\s+restart .*zmcbpolicydctl restart .*exited 1/m);
  expect(stdout).toMatch(/^Applied: ok=1 changed=2 skipped=\d+ failed=1$/m);
  expect(stdout).not.toMatch(/^(changed|change|ok|verified) /m);
  expect(stderr).toMatch(/apply stopped: applied .*catch-all a.example/);
});
