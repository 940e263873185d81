import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsFromFlags } from '../../src/commands/settings-flags.js';
import { loadConfig } from '../../src/commands/config-file.js';
import { ConfigError, EXIT, UsageError } from '../../src/errors.js';
import { cli, fingerprint, sandbox } from '../helpers/sandbox.js';

async function configWith(settings: unknown): Promise<string> {
  const box = await sandbox('8.8.15');
  const file = join(box.root, 'etc/zimbra-harden/config.json');
  await mkdir(join(box.root, 'etc/zimbra-harden'), { recursive: true });
  await writeFile(file, JSON.stringify(settings));
  return file;
}

const CATCH_ALL = [{ domain: 'a.example', account: 'admin@a.example' }];

describe('config.json is checked on load with the same rules as the flags', () => {
  it.each([
    [{ skip: ['webui-exposure', 'no-such-control'] }, /skip\[1\]: "no-such-control" is no control id/],
    [{ monitor: { reportTo: 'admin@a.example\r\nBcc: victim@b.example' } }, /monitor\.reportTo: .* is not a plain e-mail address/],
    [{ monitor: { reportTo: 'not an address' } }, /monitor\.reportTo/],
    [{ monitor: { reportTo: 'admin@a.example', reportFrom: 'Root <root@a.example>' } }, /monitor\.reportFrom: .* is not a plain e-mail address/],
    [{ monitor: { reportTo: 'admin@a.example', smtpHost: 'smtp://mail.a.example:25' } }, /monitor\.smtpHost: .* is not a host name/],
    [{ monitor: { ownAddresses: ['lists.a.example'] } }, /monitor\.ownAddresses\[0\]/],
    [{ monitor: { reportTo: 'admin@a.example', webhookUrl: 'ftp://hooks.a.example/x' } }, /monitor\.webhookUrl: expected an http:\/\/ or https:\/\/ URL/],
    [{ monitor: { reportTo: 'admin@a.example', smtpUser: 'relay@a.example' } }, /monitor\.smtpPasswordFile: the smarthost login relay@a\.example needs a password file/],
    [{ monitor: { reportTo: 'admin@a.example', smtpUser: 'relay@a.example', smtpPasswordFile: 'smtp-password' } }, /monitor\.smtpPasswordFile: "smtp-password" is not an absolute path/],
    [{ incident: { resolvers: ['8.8.8.8:99999'] } }, /incident\.resolvers\[0\]: .*port/],
    [{ incident: { resolvers: ['dns.google'] } }, /incident\.resolvers\[0\]: "dns.google" is not a resolver address/],
    [{ incident: { publicIp: '2001:db8::1' } }, /incident\.publicIp/],
    [{ webuiAllow: ['0.0.0.0/0'] }, /webuiAllow\[0\]: 0\.0\.0\.0\/0 lets in every IPv4 address/],
    [{ webuiAllow: ['::/0'] }, /webuiAllow\[0\]: ::\/0 lets in every IPv6 address/],
    [{ webuiAllow: ['192.0.2.0/24', '10.0.0.0/7'] }, /webuiAllow\[1\]: 10\.0\.0\.0\/7 lets in 2\^25 IPv4 addresses/],
    [{ webuiAllow: ['::ffff:0.0.0.0/96'] }, /webuiAllow\[0\]: .* lets in every IPv4 address/],
  ])('refuses %j: one line naming the file and the key, config error', async (settings, message) => {
    const file = await configWith({ catchAll: CATCH_ALL, ...settings });
    const error = await loadConfig(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message.startsWith(`config ${file}: `)).toBe(true);
    expect((error as Error).message).not.toMatch(/[\r\n]/);
  });

  it('accepts what the flags accept', async () => {
    const settings = {
      catchAll: CATCH_ALL,
      skip: ['monitor-cron'],
      webuiAllow: ['192.0.2.0/24', '10.0.0.0/8', '2001:db8::/48'],
      monitor: { reportTo: 'admin@a.example', reportFrom: 'root@mail.a.example', smtpHost: 'mail.a.example', ownAddresses: ['@lists.a.example'] },
      incident: { resolvers: ['127.0.0.1', '192.0.2.53:5353', '[2001:db8::53]:53'], publicIp: '203.0.113.25' },
    };
    await expect(loadConfig(await configWith(settings))).resolves.toMatchObject({ skip: ['monitor-cron'] });
  });

  it('gives the flags the same verdicts, naming the flag', () => {
    expect(() => settingsFromFlags({ skip: ['nope'] })).toThrow(UsageError);
    expect(() => settingsFromFlags({ skip: ['nope'] })).toThrow(/^--skip: "nope" is no control id/);
    expect(() => settingsFromFlags({ webuiAllow: ['0.0.0.0/0'] })).toThrow(/^--webui-allow: 0\.0\.0\.0\/0 lets in every IPv4 address/);
    expect(() => settingsFromFlags({ webuiAllow: ['::/0'] })).toThrow(/^--webui-allow: ::\/0/);
  });
});

describe('apply and audit with a bad config file', () => {
  it('apply stops with exit 78 before touching anything, instead of installing a cron job that always fails', async () => {
    const box = await sandbox('8.8.15');
    await mkdir(join(box.root, 'etc/zimbra-harden'), { recursive: true });
    await writeFile(join(box.root, 'etc/zimbra-harden/config.json'), JSON.stringify({ catchAll: CATCH_ALL, monitor: { reportTo: 'admin@a.example\r\nBcc: x@b.example' } }));
    const before = await fingerprint(box.root);
    const apply = await cli(['--root', box.root, 'apply', '--yes']);
    expect(apply.exitCode).toBe(EXIT.config);
    expect(apply.stderr.trim().split('\n')).toHaveLength(1);
    expect(apply.stderr).toMatch(/config .*config\.json: monitor\.reportTo: /);
    expect(await fingerprint(box.root)).toEqual(before);
    const audit = await cli(['--root', box.root, 'audit']);
    expect(audit.exitCode).toBe(EXIT.config);
    expect(audit.stderr).toMatch(/monitor\.reportTo/);
  });

  it('an unknown id in skip is refused, not silently ignored', async () => {
    const box = await sandbox('8.8.15');
    await mkdir(join(box.root, 'etc/zimbra-harden'), { recursive: true });
    await writeFile(join(box.root, 'etc/zimbra-harden/config.json'), JSON.stringify({ catchAll: CATCH_ALL, skip: ['webui-exposur'] }));
    const audit = await cli(['--root', box.root, 'audit']);
    expect(audit.exitCode).toBe(EXIT.config);
    expect(audit.stderr).toMatch(/skip\[0\]: "webui-exposur" is no control id/);
  });
});

describe('--resolver is checked as it is parsed', () => {
  it.each(['8.8.8.8:0', 'dns.google', '2001:db8::53:53x', '[192.0.2.1]:53'])('%s: one line naming the flag, usage error', async (value) => {
    const result = await cli(['incident', '--resolver', value, '--root', '/nonexistent']);
    expect(result.exitCode).toBe(EXIT.usage);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^zimbra-harden: --resolver /);
  });
});
