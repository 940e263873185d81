import { execa } from 'execa';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countCalls, readCalls } from '../../src/simulation/sandbox/calls.js';
import { createSandbox, wrapperScript } from '../../src/simulation/sandbox/create.js';
import { parseLocalConfig } from '../../src/simulation/sandbox/localconfig.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { STOCK_CONFIG_PHP } from '../../src/simulation/sandbox/webui.js';
import { zimbraPaths } from '../../src/zimbra/paths.js';
import { run, sandbox } from './helpers.js';

describe('createSandbox', () => {
  it('refuses a folder that is not empty', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'zh-sandbox-'));
    try {
      await writeFile(path.join(dir, 'x'), '');
      await expect(createSandbox(dir, { version: '8.8.15', domains: ['example.com'] })).rejects.toThrow(/not an empty folder/);
      await mkdir(path.join(dir, 'empty'));
      const info = await createSandbox(path.join(dir, 'empty'), { version: '8.8.15', domains: ['Example.COM', 'example.org'], accountsPerDomain: ['admin', 'zoe'] });
      expect(info.hostname).toBe('mail.example.com');
      expect(info.accounts).toEqual(['admin@example.com', 'zoe@example.com', 'admin@example.org', 'zoe@example.org']);
      const ldap = await readLdap(info.root);
      expect(Object.keys(ldap.domains)).toEqual(['example.com', 'example.org']);
      expect(ldap.servers['mail.example.com']?.zimbraServiceEnabled).not.toContain('cbpolicyd');
      expect(ldap.config.zimbraMtaMyNetworks).toEqual(['127.0.0.0/8 10.0.0.0/24']);
      expect(ldap.config.zimbraCBPolicydBindPort).toEqual(['10031']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lays out /opt/zimbra, /var/log/zimbra.log and /etc/cron.d, and relocated postfix paths from 8.7', async () => {
    const old = await sandbox('8.6.0');
    for (const p of ['/opt/zimbra/postfix/conf/main.cf', '/opt/zimbra/postfix/conf/master.cf', '/opt/zimbra/postfix/sbin/postconf', '/var/log/zimbra.log', '/opt/zimbra/conf/localconfig.xml', '/opt/zimbra/conf/cbpolicyd.conf']) {
      expect(existsSync(path.join(old.root, p)), p).toBe(true);
    }
    expect((await lstat(path.join(old.root, 'etc/cron.d'))).isDirectory()).toBe(true);
    expect(await readlink(path.join(old.root, 'opt/zimbra/cbpolicyd'))).toBe('cbpolicyd-2.1.0-beta');
    const modern = await sandbox('8.8.15');
    for (const p of ['/opt/zimbra/common/conf/main.cf', '/opt/zimbra/common/sbin/postconf', '/opt/zimbra/common/bin/cbpolicyd']) {
      expect(existsSync(path.join(modern.root, p)), p).toBe(true);
    }
  });

  it('ships the stock web UI config.php where each release puts it, none on 7.x/8.0 unless asked', async () => {
    for (const version of ['8.6.0', '8.8.15', '10.1.0'] as const) {
      const info = await sandbox(version);
      const dir = zimbraPaths({ major: Number(version.split('.')[0]), minor: Number(version.split('.')[1]), patch: 0 }).webuiDir as string;
      const text = await readFile(path.join(info.root, dir, 'includes/config.php'), 'utf8');
      expect(text).toBe(STOCK_CONFIG_PHP);
      expect(text.split('\n').filter((l) => l.startsWith('$DB_DSN'))).toEqual(['$DB_DSN="mysql:host=localhost;dbname=cluebringer";']);
      expect(text).toContain('\n#$DB_DSN="sqlite:////tmp/cluebringer.sqlite";\n');
      expect(text).toContain('\n$DB_USER="root";\n#$DB_PASS="";\n$DB_TABLE_PREFIX="";\n');
    }
    const bare = await sandbox('8.0.9');
    expect(existsSync(path.join(bare.root, '/opt/zimbra/cbpolicyd/share/webui'))).toBe(false);
    const manual = await sandbox('7.2.7', { webui: true });
    expect(await readFile(path.join(manual.root, '/opt/zimbra/cbpolicyd/share/webui/includes/config.php'), 'utf8')).toBe(STOCK_CONFIG_PHP);
  });

  it('writes localconfig.xml in Zimbra format; zmlocalconfig reads it (cbpolicyd_bind_port only before 8.5)', async () => {
    const info = await sandbox('8.0.9');
    const xml = await readFile(path.join(info.root, '/opt/zimbra/conf/localconfig.xml'), 'utf8');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n\n<localconfig>\n  <key name=')).toBe(true);
    expect(parseLocalConfig(xml).get('zimbra_server_hostname')).toBe(info.hostname);
    const r = await run(info, 'zmlocalconfig', ['zimbra_home', 'zimbra_user', 'cbpolicyd_bind_port', 'ldap_url']);
    expect(r.stdout).toBe(`zimbra_home = /opt/zimbra\nzimbra_user = zimbra\ncbpolicyd_bind_port = 10031\nldap_url = ldap://${info.hostname}:389\n`);
    expect((await run(info, 'zmlocalconfig', ['-m', 'nokey', 'zimbra_server_hostname'])).stdout).toBe(`${info.hostname}\n`);
    expect((await run(info, 'zmlocalconfig', ['-x', '-m', 'nokey', 'zimbra_log_directory'])).stdout).toBe('/opt/zimbra/log\n');
    expect((await run(info, 'zmlocalconfig', ['zimbra_ldap_password'])).stdout).toBe('zimbra_ldap_password = ********\n');
    expect((await run(info, 'zmlocalconfig', ['-s', '-m', 'nokey', 'zimbra_ldap_password'])).stdout).not.toContain('*');
    expect((await run(info, 'zmhostname')).stdout).toBe(`${info.hostname}\n`);
    const modern = await sandbox('8.6.0');
    const none = await run(modern, 'zmlocalconfig', ['-m', 'nokey', 'cbpolicyd_bind_port']);
    expect(none.stdout).toBe('');
  });

  it('each executable is a small sh wrapper with quoted paths, and the root is derived from its path', async () => {
    const script = wrapperScript('zmprov', "/tmp/it's here/sandbox-tool.js");
    expect(script).toContain(`'/tmp/it'\\''s here/sandbox-tool.js' zmprov "$0" "$@"`);
    const info = await sandbox('10.1.0');
    const wrapper = await readFile(path.join(info.root, '/opt/zimbra/bin/zmprov'), 'utf8');
    expect(wrapper.startsWith('#!/bin/sh\nexec ')).toBe(true);
    // Invoked through a relative path from another folder, it still finds its sandbox.
    const r = await execa('./opt/zimbra/bin/zmprov', ['gad'], { cwd: info.root, reject: false });
    expect(r.stdout).toBe('example.com');
  });
});

describe('calls.log', () => {
  it('records every run with its argv, zmprov batch stdin and exit code', async () => {
    const info = await sandbox('8.8.15');
    expect(await countCalls(info.root)).toBe(0);
    await run(info, 'zmprov', ['ga', 'ghost@example.com']);
    await run(info, 'zmprov', [], 'gad\nexit\n');
    await run(info, 'postconf', ['-h', 'myhostname']);
    const calls = await readCalls(info.root);
    expect(calls.map((c) => [c.tool, c.argv, c.stdin, c.exitCode])).toEqual([
      ['zmprov', ['ga', 'ghost@example.com'], undefined, 2],
      ['zmprov', [], ['gad', 'exit'], 0],
      ['postconf', ['-h', 'myhostname'], undefined, 0],
    ]);
    expect(calls[0]?.ts).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await countCalls(info.root, 'zmprov')).toBe(2);
    expect(await countCalls(info.root, 'postconf')).toBe(1);
  });
});
