import { describe, expect, it } from 'vitest';
import { mergeSettings, settingsFromFlags } from '../../src/commands/settings-flags.js';
import { missingSettings } from '../../src/core/settings-check.js';
import { UsageError } from '../../src/errors.js';

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
