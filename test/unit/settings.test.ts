import { describe, expect, it } from 'vitest';
import { mergeSettings, settingsFromFlags } from '../../src/commands/settings-flags.js';
import { missingSettings } from '../../src/commands/settings-check.js';
import { UsageError } from '../../src/errors.js';
import { loadConfig } from '../../src/commands/config-file.js';
import { monitorSchema } from '../../src/core/settings.js';
import { OPTIONS } from '../../src/core/options.js';
import { quotaPrompt } from '../../src/wizard/steps/quota.js';
import { intervalPrompt } from '../../src/wizard/steps/monitor.js';
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
    [{ smtpPort: '70000' }, /--smtp-port: 70000 is not a port from 1 to 65535/],
    [{ smtpPort: '25x' }, /--smtp-port "25x": expected a whole number/],
    [{ monitorInterval: '60' }, /--monitor-interval: 60 is not a number of minutes from 1 to 59/],
    [{ reportTo: 'ops' }, /--report-to: "ops" is not a plain e-mail address/],
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

describe('one range per setting: flag, config file and wizard', () => {
  const configWith = async (settings: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'zh-settings-'));
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify(settings));
    try {
      return await loadConfig(path).then(() => 'accepted', (e: Error) => e.message.replace(`config ${path}: `, ''));
    } finally {
      rmSync(dir, { recursive: true });
    }
  };

  it.each([
    ['--quota', { quota: { limit: 1_000_001 } }, 'quota.limit: 1000001 is not a number of recipients from 1 to 1000000'],
    ['--quota', { quota: { limit: 0 } }, 'quota.limit: 0 is not a number of recipients from 1 to 1000000'],
    ['--quota-period', { quota: { periodSeconds: 59 } }, 'quota.periodSeconds: 59 is not a period from 60 s to 30 days'],
    ['--monitor-interval', { monitor: { intervalMinutes: 60 } }, 'monitor.intervalMinutes: 60 is not a number of minutes from 1 to 59'],
    ['--smtp-port', { monitor: { smtpPort: 0 } }, 'monitor.smtpPort: 0 is not a port from 1 to 65535'],
  ])('%s: the config file gets the flag\'s verdict, naming the key', async (flag, settings, message) => {
    expect(await configWith(settings)).toContain(message);
    const [key, value] = message.split(': ') as [string, string];
    const number = value.split(' ')[0]!;
    const attribute = flag.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    expect(() => settingsFromFlags({ [attribute]: number })).toThrow(`${flag}: ${value.split(' (')[0]}`);
    expect(OPTIONS.find((o) => o.key === key)?.option.flag).toBe(flag);
  });

  it('the wizard takes exactly what the flag takes', () => {
    const quota = quotaPrompt(undefined).validate;
    expect([quota('1000000'), quota('1'), quota('1000001'), quota('0'), quota('ten')]).toEqual([true, true, 'Enter a whole number from 1 to 1000000', 'Enter a whole number from 1 to 1000000', 'Enter a whole number from 1 to 1000000']);
    const interval = intervalPrompt(undefined).validate;
    expect([interval('59'), interval('60')]).toEqual([true, 'Enter a whole number from 1 to 59']);
    expect(settingsFromFlags({ quota: '1000000', monitorInterval: '59' })).toMatchObject({ quota: { limit: 1_000_000 }, monitor: { intervalMinutes: 59 } });
  });
});

