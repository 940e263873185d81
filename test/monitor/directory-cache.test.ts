import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { createContext } from '../../src/commands/context.js';
import { runMonitorCommand, type MonitorFlags } from '../../src/commands/monitor.js';
import { DIRECTORY_PATH } from '../../src/monitor/directory-cache.js';
import { countCalls } from '../../src/simulation/sandbox/calls.js';
import { sandbox } from '../helpers/sandbox.js';

/** One `monitor --quiet` run (as cron starts it, unless flags say otherwise), its output swallowed. */
async function run(root: string, flags: MonitorFlags = { mail: true }): Promise<number> {
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    return await runMonitorCommand(createContext({ root, quiet: true }), flags);
  } finally {
    spy.mockRestore();
  }
}

async function quietServer() {
  const host = await sandbox('8.8.15');
  writeFileSync(join(host.root, 'var/log/zimbra.log'), '');
  return { ...host, cache: join(host.root, DIRECTORY_PATH) };
}

describe('the directory (zmprov -l gad, gaa) is read at most once an hour by cron runs', () => {
  test('two runs within the hour start zmprov once', async () => {
    const host = await quietServer();
    await run(host.root);
    expect(await countCalls(host.root, 'zmprov')).toBe(1);
    const saved = JSON.parse(readFileSync(host.cache, 'utf8')) as { domains: string[]; accounts: string[] };
    expect(saved.domains).toEqual(['a.example', 'b.example']);
    expect(saved.accounts).toEqual(expect.arrayContaining(host.accounts));
    await run(host.root);
    expect(await countCalls(host.root, 'zmprov')).toBe(1);
  });

  test('no run asks zmcontrol -v: the monitor needs no version (its logs and zmprov are where every release has them)', async () => {
    const host = await quietServer();
    await run(host.root);
    await run(host.root);
    await run(host.root, { mail: true, since: '1h' });
    expect(await countCalls(host.root, 'zmcontrol')).toBe(0);
    expect(await countCalls(host.root, 'zmprov')).toBe(2);
  });

  test('without Zimbra under the root, it still says so', async () => {
    const host = await quietServer();
    rmSync(join(host.root, 'opt/zimbra/conf/localconfig.xml'));
    await expect(runMonitorCommand(createContext({ root: host.root, quiet: true }), { mail: true })).rejects.toThrow(/no Zimbra found under .*localconfig\.xml is missing/);
  });

  test('a list read more than an hour ago is read again and saved anew', async () => {
    const host = await quietServer();
    await run(host.root);
    const saved = JSON.parse(readFileSync(host.cache, 'utf8')) as { readAt: string };
    const old = new Date(Date.now() - 61 * 60 * 1000).toISOString();
    writeFileSync(host.cache, JSON.stringify({ ...saved, readAt: old }));
    await run(host.root);
    expect(await countCalls(host.root, 'zmprov')).toBe(2);
    expect((JSON.parse(readFileSync(host.cache, 'utf8')) as { readAt: string }).readAt > old).toBe(true);
  });

  test('a damaged file is ignored and rewritten', async () => {
    const host = await quietServer();
    await run(host.root);
    writeFileSync(host.cache, '{"readAt": "2026-');
    await run(host.root);
    expect(await countCalls(host.root, 'zmprov')).toBe(2);
    expect(JSON.parse(readFileSync(host.cache, 'utf8'))).toMatchObject({ domains: ['a.example', 'b.example'] });
    await run(host.root);
    expect(await countCalls(host.root, 'zmprov')).toBe(2);
  });

  test('--since triage always reads the directory as it is now, and saves nothing', async () => {
    const host = await quietServer();
    await run(host.root);
    const before = readFileSync(host.cache, 'utf8');
    await run(host.root, { mail: true, since: '1h' });
    await run(host.root, { mail: true, since: '1h' });
    expect(await countCalls(host.root, 'zmprov')).toBe(3);
    expect(readFileSync(host.cache, 'utf8')).toBe(before);
  });

  test('--peek saves nothing, but uses a list already saved', async () => {
    const host = await quietServer();
    await run(host.root, { mail: true, peek: true });
    expect(existsSync(host.cache)).toBe(false);
    await run(host.root);
    await run(host.root, { mail: true, peek: true });
    expect(await countCalls(host.root, 'zmprov')).toBe(2);
  });
});
