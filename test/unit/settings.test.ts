import { describe, expect, it } from 'vitest';
import { mergeSettings, settingsFromFlags } from '../../src/commands/settings-flags.js';
import { missingSettings } from '../../src/commands/settings-check.js';
import { UsageError } from '../../src/errors.js';
import { loadConfig } from '../../src/commands/config-file.js';
import { monitorSchema } from '../../src/core/settings.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('settings from flags', () => {
  it('parses repeatable --catch-all DOMAIN=ACCOUNT', () => {
    expect(settingsFromFlags({ catchAll: ['a.example=admin@a.example', 'b.example=bob@b.example'] }).catchAll).toEqual([
      { domain: 'a.example', account: 'admin@a.example' },
      { domain: 'b.example', account: 'bob@b.example' },
    ]);
  });

  it.each([
    ['a.example;touch x=admin@a.example', /--catch-all: "a.example;touch x" is not a domain name/],
    ['a.example=admin@b.example', /--catch-all: admin@b.example is outside a.example/],
    ['a.example', /expected DOMAIN=ACCOUNT/],
    ['a.example=$(reboot)', /not an account name/],
  ])('rejects %s with a usage error naming the flag', (value, message) => {
    expect(() => settingsFromFlags({ catchAll: [value] })).toThrow(UsageError);
    expect(() => settingsFromFlags({ catchAll: [value] })).toThrow(message);
  });

  it('rejects an unknown control id in --skip', () => {
    expect(() => settingsFromFlags({ skip: ['nope'] })).toThrow(/--skip: "nope" is no control id/);
  });

  it('lets a flag win over the config file, key by key', () => {
    const merged = mergeSettings({ restart: 'full', catchAll: [{ domain: 'a.example', account: 'x@a.example' }] }, { restart: 'none' });
    expect(merged).toEqual({ restart: 'none', catchAll: [{ domain: 'a.example', account: 'x@a.example' }] });
  });

  it('names the flag and key of a missing catch-all, unless that control is skipped', () => {
    expect(missingSettings({})).toEqual([expect.objectContaining({ key: 'catchAll', flag: expect.stringContaining('--catch-all') })]);
    expect(missingSettings({ skip: ['catch-all'] })).toEqual([]);
  });
});

describe('report channel settings', () => {
  it('takes the smarthost, syslog and webhook from flags into monitor.*', () => {
    const flags = settingsFromFlags({ smtpHost: 'smtp.example.net', smtpPort: '587', smtpSecurity: 'starttls', smtpUser: 'relay@example.com', smtpPasswordFile: '/etc/zimbra-harden/smtp-password', syslog: true, webhookUrl: 'https://hooks.example.net/T1' });
    expect(mergeSettings({ monitor: monitorSchema.parse({ reportTo: 'admin@example.com' }) }, flags).monitor).toMatchObject({
      reportTo: 'admin@example.com',
      smtpHost: 'smtp.example.net',
      smtpPort: 587,
      smtpSecurity: 'starttls',
      smtpUser: 'relay@example.com',
      smtpPasswordFile: '/etc/zimbra-harden/smtp-password',
      syslog: true,
      syslogFacility: 'daemon',
      webhookUrl: 'https://hooks.example.net/T1',
    });
  });

  it.each([
    [{ webhookUrl: 'ftp://x.example/hook' }, /--webhook-url: expected an http:\/\/ or https:\/\/ URL/],
    [{ smtpPort: '70000' }, /--smtp-port 70000: expected 1 to 65535/],
    [{ smtpHost: 'smtp.example.net; reboot' }, /--smtp-host: .* is not a host name/],
    [{ smtpPasswordFile: 'smtp-password' }, /--smtp-password-file: "smtp-password" is not an absolute path/],
  ])('rejects %o naming the flag', (flags, message) => {
    expect(() => settingsFromFlags(flags)).toThrow(message);
  });

  it('a login needs its password file, from the flag or the config file', () => {
    expect(() => mergeSettings({}, settingsFromFlags({ smtpUser: 'relay@example.com' }))).toThrow(/--smtp-password-file: the smarthost login relay@example.com needs a password file/);
    const config = { monitor: monitorSchema.parse({ smtpPasswordFile: '/etc/zimbra-harden/pw' }) };
    expect(mergeSettings(config, settingsFromFlags({ smtpUser: 'relay@example.com' })).monitor?.smtpUser).toBe('relay@example.com');
  });

  it('the config file is checked the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zh-settings-'));
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ monitor: { smtpUser: 'relay@example.com' } }));
    await expect(loadConfig(path)).rejects.toThrow(/monitor.smtpPasswordFile: the smarthost login relay@example.com needs a password file/);
    rmSync(dir, { recursive: true });
  });
});
