import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { CLI, cli, fingerprint, sandbox } from '../helpers/sandbox.js';
import { terminal } from '../helpers/tmux.js';

describe('the wizard in a real terminal', () => {
  it('is the default command: answers every question, confirms, and hardens the sandbox', async () => {
    const box = await sandbox('8.8.15');
    const tty = await terminal([process.execPath, CLI, '--root', box.root]);
    await tty.waitFor(/Which domains get a catch-all\?/);
    await tty.keys('Enter');
    await tty.waitFor(/Which account of a\.example/);
    await tty.keys('Enter');
    await tty.waitFor(/Which account of b\.example/);
    await tty.keys('Down', 'Enter'); // the second account instead of the proposed one
    await tty.waitFor(/\(--quota N\)/);
    await tty.keys('BSpace', 'BSpace', 'BSpace', '5', '0', 'Enter');
    await tty.waitFor(/\(--sender-login-match\)/);
    await tty.keys('y', 'Enter'); // proposed: No
    await tty.waitFor(/\(--webui-allow CIDR\)/);
    await tty.keys('Enter');
    await tty.waitFor(/\(--report-to\)/);
    await tty.keys('Enter');
    await tty.waitFor(/\(--monitor-interval\)/);
    await tty.keys('BSpace', 'BSpace', '5', 'Enter');
    await tty.waitFor(/How should changed services be restarted/);
    await tty.keys('Enter');
    await tty.waitFor(/Apply these \d+ changes/);
    await tty.keys('y', 'Enter');
    expect(await tty.exitCode()).toBe(0);
    const screen = await tty.screen();
    expect(screen).toMatch(/verified Postfix asks cbpolicyd/);
    expect(screen).toMatch(/Audit it any day/);

    const ldap = await readLdap(box.root);
    expect(ldap.accounts['admin@a.example']?.zimbraMailCatchAllAddress).toEqual(['@a.example']);
    const holder = Object.entries(ldap.accounts).find(([, attrs]) => attrs.zimbraMailCatchAllAddress?.includes('@b.example'));
    expect(holder?.[0]).toMatch(/@b\.example$/);
    expect(holder?.[0]).not.toBe('admin@b.example');
    expect(ldap.servers[box.hostname]?.zimbraServiceEnabled).toContain('cbpolicyd');
    expect(await readFile(join(box.root, 'etc/cron.d/zimbra-harden'), 'utf8')).toMatch(/^\*\/5 \* \* \* \* root /m);
    const config = JSON.parse(await readFile(join(box.root, 'etc/zimbra-harden/config.json'), 'utf8'));
    expect(config).toMatchObject({ quota: { limit: 50 }, senderLoginMatch: true, webuiAllow: [] });
  });

  it('exits 130 on Ctrl-C mid-way and changes nothing', async () => {
    const box = await sandbox('8.8.15');
    const before = await fingerprint(box.root);
    const tty = await terminal([process.execPath, CLI, '--root', box.root]);
    await tty.waitFor(/Which domains get a catch-all\?/);
    await tty.keys('Enter');
    await tty.waitFor(/Which account of a\.example/);
    await tty.keys('C-c');
    expect(await tty.exitCode()).toBe(130);
    expect(await tty.screen()).toMatch(/nothing was changed/i);
    expect(await fingerprint(box.root)).toEqual(before);
  });

  it('without a terminal never prompts nor applies: it prints the help and the plan, which lists every missing setting', async () => {
    const box = await sandbox('8.8.15');
    const before = await fingerprint(box.root);
    const result = await cli(['--root', box.root]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: zimbra-harden/);
    expect(result.stdout).toMatch(/^needs\s+catch-all\s+\S+\n\s+needs --catch-all DOMAIN=ACCOUNT/m);
    expect(await fingerprint(box.root)).toEqual(before);
  });
});
