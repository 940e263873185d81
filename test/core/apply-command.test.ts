import { describe, expect, test } from 'vitest';
import { executePlan, settle } from '../../src/commands/apply.js';
import { MemoryHost, zmprovBatch } from '../helpers/memory-host.js';
import { memoryContext } from './context.js';
import { change, observation, serverEnv, zmprov } from './plan-items.js';

const env = serverEnv();
const catchAll = change('catch-all', 'a.example', [zmprov('ma', 'admin@a.example', '+zimbraMailCatchAllAddress', '@a.example')]);
const service = change('cbpolicyd-service', env.hostname, [zmprov('ms', env.hostname, '+zimbraServiceEnabled', 'cbpolicyd')], { restart: ['mta', 'cbpolicyd'] });

describe('apply tells what it did', () => {
  test('fails, with the evidence, when cbpolicyd does not come back; says what was applied and what not', async () => {
    const host = new MemoryHost()
      .on(env.paths.zmprov, zmprovBatch())
      .on(env.paths.zmmtactl, {})
      .on(env.paths.zmcbpolicydctl, { exitCode: 1, stderr: "cbpolicyd failed to start: Can't locate cbp/config.pm\n" });
    const { ctx, stdout, stderr } = memoryContext(host);
    const code = await executePlan(ctx, observation([catchAll, service]), {});
    expect(code).toBe(1);
    expect(stdout()).toMatch(/failed\s+restart .*zmcbpolicydctl restart .*exited 1.*Can't locate cbp\/config.pm/);
    expect(stderr()).toMatch(/apply stopped: applied catch-all a.example, cbpolicyd-service mail.a.example; not applied: restart mail.a.example\./);
  });

  test('with --restart full: one zmcontrol restart for every service, crossed off the pending restarts', async () => {
    const host = new MemoryHost().on(env.paths.zmprov, zmprovBatch()).on(env.paths.zmcontrol, {}).on(env.paths.zmcbpolicydctl, {});
    const { ctx } = memoryContext(host);
    expect(await executePlan(ctx, observation([catchAll, service], { restart: 'full' }), { restart: 'full' })).toBe(0);
    expect(host.journal.filter((l) => / restart$/.test(l))).toEqual(['run zmcontrol restart']);
    expect(host.calls.find((c) => c.command === env.paths.zmcontrol)!.options).toMatchObject({ user: 'zimbra', finishOnInterrupt: true });
    expect(host.files.size).toBe(0);
  });

  test('a failed check stops apply before any change, in one line naming it', async () => {
    const host = new MemoryHost();
    const { ctx, stdout, stderr } = memoryContext(host);
    const missing = { control: 'webui-db', subject: '/opt/zimbra/common/share/webui/includes/config.php', status: 'fail' as const, message: 'it is missing', actions: [], restart: [] };
    expect(await settle(ctx, {}, observation([catchAll, missing]))).toBe(1);
    expect(stderr()).toBe('error: nothing was changed: webui-db /opt/zimbra/common/share/webui/includes/config.php: it is missing\n');
    expect(stdout()).toBe('');
    expect(host.calls).toEqual([]);
    expect(host.journal).toEqual([]);
  });
});
