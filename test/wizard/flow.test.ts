import { screen } from '@inquirer/testing/vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Context } from '../../src/commands/context.js';
import { RealHost } from '../../src/host/real-host.js';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { createOutput } from '../../src/ui/output.js';
import { runWizard } from '../../src/wizard/run-wizard.js';
import { fingerprint, sandbox } from '../helpers/sandbox.js';

function wizardContext(root: string) {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk) => (text += String(chunk)));
  const ctx: Context = {
    host: new RealHost(root),
    out: createOutput(false, stdout, stdout),
    configPath: `${root}/etc/zimbra-harden/config.json`,
    interactive: false, // no spinner inside the test harness
    options: { root },
    confirm: () => Promise.reject(new Error('the wizard asks on its own prompts')),
  };
  return { ctx, output: () => text };
}

async function answer(keys: (string | { name: string; ctrl?: boolean })[]) {
  for (const key of keys) {
    await screen.next();
    if (typeof key === 'string' && key.length > 1 && key !== 'enter') screen.type(key);
    else screen.keypress(key);
  }
}

describe('wizard', () => {
  it('asks each step, shows the plan, applies on confirmation, and on a re-run only offers changes', async () => {
    const box = await sandbox('8.8.15');
    const { ctx, output } = wizardContext(box.root);
    const done = runWizard(ctx, {});
    await screen.next();
    expect(screen.getScreen()).toContain('Which domains get a catch-all?');
    screen.keypress('enter'); // both domains
    await screen.next();
    expect(screen.getScreen()).toContain('Which account of a.example');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('Which account of b.example');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('(--quota N)');
    screen.keypress('enter'); // 100 per hour
    await screen.next();
    expect(screen.getScreen()).toContain('(--sender-login-match)');
    screen.keypress('enter'); // no, as proposed
    await screen.next();
    expect(screen.getScreen()).toContain('(--webui-allow CIDR)');
    screen.keypress('enter'); // loopback only
    await screen.next();
    expect(screen.getScreen()).toContain('(--report-to)');
    expect(screen.getScreen()).toContain('admin@a.example');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toContain('(--monitor-interval)');
    screen.keypress('enter'); // every 10 minutes
    await screen.next();
    expect(screen.getScreen()).toContain('(--restart)');
    screen.keypress('enter');
    await screen.next();
    expect(screen.getScreen()).toMatch(/Apply these \d+ changes/);
    screen.type('y');
    screen.keypress('enter');
    expect(await done).toBe(0);
    expect(output()).toMatch(/Found ZCS 8\.8\.15 on mail\.a\.example/);
    // Said before the server answers (seconds of JVM on a real one), not after.
    expect(output().indexOf('Reading the server')).toBeGreaterThanOrEqual(0);
    expect(output().indexOf('Reading the server')).toBeLessThan(output().indexOf('Found ZCS'));
    expect(output()).toContain('backscatter');
    expect(output()).toMatch(/verified Postfix asks cbpolicyd/);
    expect(output()).toContain('audit');
    const ldap = await readLdap(box.root);
    expect(ldap.accounts['admin@a.example']?.zimbraMailCatchAllAddress).toEqual(['@a.example']);
    expect(await readFile(join(box.root, 'etc/cron.d/zimbra-harden'), 'utf8')).toMatch(/^\*\/10 \* \* \* \* root .* monitor --quiet$/m);
    expect(JSON.parse(await readFile(join(box.root, 'etc/zimbra-harden/config.json'), 'utf8')).monitor.reportTo).toBe('admin@a.example');
    // The version is detected once per run: reading the server for the plan reuses it.
    const versionReads = async () => (await readCalls(box.root)).filter((c) => c.tool === 'zmcontrol' && c.argv[0] === '-v').length;
    expect(await versionReads()).toBe(1);

    const before = await fingerprint(box.root);
    const rerun = runWizard(ctx, {});
    await screen.next();
    expect(screen.getScreen()).toContain('Change something?');
    screen.keypress('enter'); // default: no
    expect(await rerun).toBe(0);
    expect(await versionReads()).toBe(2);
    expect(await fingerprint(box.root)).toEqual(before);
  });

  it('changes nothing when the plan is declined', async () => {
    const box = await sandbox('10.1.0');
    const before = await fingerprint(box.root);
    const { ctx, output } = wizardContext(box.root);
    const done = runWizard(ctx, {});
    await answer(['enter', 'enter', 'enter', 'enter', 'enter', 'enter', 'enter', 'enter', 'enter']);
    await screen.next();
    screen.type('n');
    screen.keypress('enter');
    expect(await done).toBe(0);
    expect(output()).toContain('Nothing was changed.');
    expect(await fingerprint(box.root)).toEqual(before);
  });

  it('stops at Ctrl-C with nothing changed', async () => {
    const box = await sandbox('8.6.0');
    const before = await fingerprint(box.root);
    const { ctx } = wizardContext(box.root);
    const done = runWizard(ctx, {});
    await answer(['enter']);
    await screen.next();
    expect(screen.getScreen()).toContain('Which account of a.example');
    screen.keypress({ name: 'c', ctrl: true });
    await expect(done).rejects.toMatchObject({ name: 'ExitPromptError' });
    expect(await fingerprint(box.root)).toEqual(before);
  });
});
