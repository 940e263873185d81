import { chmod, chown, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRON_FILE } from '../../src/monitor/cron-entry.js';
import { appliedSandbox, cli } from '../helpers/sandbox.js';

// Only the monitor's cron job is looked at: every other control is skipped, which keeps each run short.
const OTHERS = ['catch-all', 'cbpolicyd-service', 'postfix-policy', 'webui-db', 'policyd-quota', 'sender-login-match', 'webui-exposure', 'restart'];
const APPLY = [...OTHERS.flatMap((id) => ['--skip', id]), '--report-to', 'admin@a.example'];
const asRoot = process.getuid?.() === 0;

/** A server whose cron job a successful apply installed (once per vitest run, then copied). */
async function hardened() {
  const box = await appliedSandbox('8.8.15', {}, APPLY);
  const file = join(box.root, CRON_FILE);
  expect((await stat(file)).mode & 0o7777).toBe(0o644);
  const audit = () => cli(['--root', box.root, '--detailed-exitcode', 'audit']);
  expect((await audit()).exitCode).toBe(0);
  return { box, file, audit };
}

describe('a cron file cron would skip is drift, and apply makes it 0644 root:root', () => {
  it('group- or world-writable: the audit names it; apply rewrites it 0644', async () => {
    const { box, file, audit } = await hardened();
    await chmod(file, 0o666);
    const drift = await audit();
    expect(drift.exitCode).toBe(2);
    expect(drift.stdout).toMatch(/drift\s+monitor-cron[\s\S]*has mode 0666 \(anyone can change the root job\): cron skips it; make it 0644 root:root/);
    const fixed = await cli(['--root', box.root, 'apply', '--yes']);
    expect(fixed.exitCode, fixed.stderr).toBe(0);
    expect((await stat(file)).mode & 0o7777).toBe(0o644);
    expect((await audit()).exitCode).toBe(0);

    await chmod(file, 0o664);
    expect((await audit()).stdout).toMatch(/has mode 0664 \(its group can change the root job\)/);
  });

  it.runIf(asRoot)('not owned by root: the audit names it; apply gives it back to root', async () => {
    const { box, file, audit } = await hardened();
    await chown(file, 1001, 1001);
    const drift = await audit();
    expect(drift.exitCode).toBe(2);
    expect(drift.stdout).toMatch(/is owned by uid 1001, not root: cron skips it/);
    expect((await cli(['--root', box.root, 'apply', '--yes'])).exitCode).toBe(0);
    expect(await stat(file)).toMatchObject({ uid: 0, gid: 0 });
    expect((await stat(file)).mode & 0o7777).toBe(0o644);
    expect((await audit()).exitCode).toBe(0);
  });

  it('cron install does not call a world-writable file up to date', async () => {
    const { box, file } = await hardened();
    await chmod(file, 0o646);
    const install = await cli(['--root', box.root, '--yes', 'cron', 'install']);
    expect(install.stdout).toMatch(/cron skips it; writing it again 0644 root:root/);
    expect(install.stdout).not.toMatch(/already up to date/);
    expect((await stat(file)).mode & 0o7777).toBe(0o644);
  });
});
