import { describe, expect, it } from 'vitest';
import { parseAttrs, parseEntries, quoteZmprovArg, splitBatchOutput, zmprovBatchInput } from '../../src/zimbra/zmprov-batch.js';

describe('zmprov batch encoding', () => {
  it('quotes values with spaces and escapes quotes and backslashes', () => {
    expect(quoteZmprovArg('check_policy_service inet:127.0.0.1:10031')).toBe('"check_policy_service inet:127.0.0.1:10031"');
    expect(quoteZmprovArg('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteZmprovArg('')).toBe('""');
    expect(quoteZmprovArg('@a.example')).toBe('@a.example');
  });

  it('refuses a value with a line break, which would inject a second command', () => {
    expect(() => quoteZmprovArg('x\nma root@a.example zimbraIsAdminAccount TRUE')).toThrow(/line break/);
  });

  it('ends the batch with exit so the status reflects errors', () => {
    expect(zmprovBatchInput([['gad'], ['gcf', 'zimbraMtaRestriction']])).toBe('gad\ngcf zimbraMtaRestriction\nexit\n');
  });

  it('splits output on the prov> prompts, one chunk per command', () => {
    const stdout = 'prov> # name a@x.example\nzimbraId: 1\n\nprov> prov> zimbraMtaRestriction: reject_non_fqdn_sender\nprov> ';
    expect(splitBatchOutput(stdout, 3)).toEqual(['# name a@x.example\nzimbraId: 1\n\n', '', 'zimbraMtaRestriction: reject_non_fqdn_sender\n']);
  });

  it('parses entries and multi-valued attributes', () => {
    const entries = parseEntries('# name mail.a.example\nzimbraServiceEnabled: mta\nzimbraServiceEnabled: cbpolicyd\n\n# name mx2.a.example\nzimbraServiceEnabled: mta\n');
    expect(entries).toEqual([
      { name: 'mail.a.example', attrs: { zimbraServiceEnabled: ['mta', 'cbpolicyd'] } },
      { name: 'mx2.a.example', attrs: { zimbraServiceEnabled: ['mta'] } },
    ]);
    expect(parseAttrs('zimbraMtaRestriction: a b\nzimbraMtaRestriction: c\n')).toEqual({ zimbraMtaRestriction: ['a b', 'c'] });
  });
});
