// Its own file: an interrupt is remembered for the rest of the process, as in the CLI.
import { expect, test } from 'vitest';
import { applyPlan } from '../../src/core/apply.js';
import { readPending } from '../../src/core/pending-restarts.js';
import { InterruptedError } from '../../src/errors.js';
import { MemoryHost, zmprovBatch } from '../helpers/memory-host.js';
import { change, observation, serverEnv, zmprov } from './plan-items.js';

test('Ctrl-C during a restart lets it finish, then stops before the next step; the restarts not done stay owed', async () => {
  const env = serverEnv();
  const host = new MemoryHost()
    .on(env.paths.zmprov, zmprovBatch())
    .on(env.paths.zmmtactl, () => {
      process.emit('SIGINT', 'SIGINT');
      return {};
    })
    .on(env.paths.zmcbpolicydctl, {});
  const service = change('cbpolicyd-service', env.hostname, [zmprov('ms', env.hostname, '+zimbraServiceEnabled', 'cbpolicyd')], { restart: ['mta', 'cbpolicyd'] });
  const stderr = process.stderr.write;
  const said: string[] = [];
  process.stderr.write = ((text: string) => said.push(text) > 0) as typeof process.stderr.write;
  try {
    await expect(applyPlan(host, observation([service]), () => {})).rejects.toBeInstanceOf(InterruptedError);
  } finally {
    process.stderr.write = stderr;
  }
  expect(said.join('')).toContain('SIGINT: stopping after the current step');
  expect(host.journal.filter((l) => l.startsWith('run '))).toEqual(['run zmprov -l', 'run zmmtactl restart']);
  expect((await readPending(host)).services).toEqual(['cbpolicyd']);
});
