import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import * as compiled from '../../src/core/compiled-schemas.js';
import { monitorSettings } from '../../src/core/monitor-settings.js';
import { checkSchema } from '../../src/core/schema-check.js';
import { monitorSchema, settingsSchema } from '../../src/core/settings.js';
import { directorySchema, stateSchema } from '../../src/monitor/state-schema.js';
import { emptyState } from '../../src/monitor/state.js';

const repo = join(import.meta.dirname, '../..');

/** zod's verdict and the compiled validator's on the same value: the same acceptance, the same result, the same key blamed. */
function both(schema: z.ZodType, validate: compiled.CompiledValidator, value: unknown) {
  const zod = schema.safeParse(structuredClone(value));
  const ajv = checkSchema(validate, structuredClone(value));
  const zodKey = zod.success ? undefined : zod.error.issues[0]!.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(top level)';
  return { zod: zod.success ? { ok: true, value: zod.data } : { ok: false, key: zodKey }, ajv: ajv.ok ? { ok: true, value: ajv.value } : { ok: false, key: ajv.key } };
}

const CURSOR = { path: '/var/log/zimbra.log', dev: 2049, ino: 1234, offset: 10, headLength: 4096, headHash: 'ab12' };
const FINDING = { type: 'quota-hit', key: 'quota-hit:a@b.example', subject: 'a@b.example', firstSeen: 'x', lastSeen: 'y', counts: { hits: 3 }, reasons: [], evidence: ['line'], actions: [], extra: 'kept' };

const SAMPLES: [string, z.ZodType, compiled.CompiledValidator, unknown[], unknown[]][] = [
  [
    'config file',
    settingsSchema,
    compiled.settings,
    [
      {},
      { $schema: './schema.json', catchAll: [{ domain: 'a.example', account: 'x@a.example' }], restart: 'full', skip: ['catch-all'], quota: { limit: 5 } },
      { monitor: { reportTo: 'admin@a.example', thresholds: { deferrals: 10 }, allowances: { 'bulk@a.example': 5000 } } },
      { monitor: { unknownKey: 1 }, catchAll: [{ domain: 'a', account: 'b', extra: true }] },
      { incident: { resolvers: ['192.0.2.1'], publicIp: '203.0.113.1' }, senderLoginMatch: false, webuiAllow: [] },
    ],
    [
      null,
      [],
      'text',
      { unknownKey: 1 },
      { restart: 'sometimes' },
      { quota: { limit: '5' } },
      { quota: { limit: 1.5 } },
      { quota: { style: 'other' } },
      { catchAll: [{ domain: 'a.example' }] },
      { catchAll: { domain: 'a.example', account: 'x@a.example' } },
      { monitor: { thresholds: { deferrals: 0 } } },
      { monitor: { allowances: { 'bulk@a.example': -1 } } },
      { monitor: { ownAddresses: ['@a.example', 3] } },
      { monitor: { syslog: 'yes' } },
      { skip: 'catch-all' },
      { webuiAllow: [null] },
      { incident: { blocklists: 'zen.spamhaus.org' } },
    ],
  ],
  ['monitor settings', monitorSchema, compiled.monitorSettings, [{}, { thresholds: {} }, { reportTo: 'a@b.example', smtpPort: 587, other: 1 }], [{ smtpSecurity: 'ssl' }, { intervalMinutes: '10' }, { thresholds: { windowMinutes: -5 } }]],
  [
    'monitor state',
    stateSchema,
    compiled.monitorState,
    [
      emptyState(),
      { ...emptyState(), cursors: { mail: CURSOR }, correlator: { any: ['thing'] }, detectors: 7, reported: { k: '2026-01-01T00:00:00.000Z' }, pending: [{ finding: FINDING, channels: ['mail'] }] },
      { ...emptyState(), cursors: { mail: { ...CURSOR, more: 1 }, other: CURSOR }, extra: true },
    ],
    [
      { ...emptyState(), version: 2 },
      { ...emptyState(), savedAt: undefined },
      { ...emptyState(), cursors: { mail: { ...CURSOR, offset: -1 } } },
      { ...emptyState(), cursors: { policyd: { ...CURSOR, headHash: 5 } } },
      { ...emptyState(), reported: { k: 1 } },
      { ...emptyState(), pending: [{ finding: FINDING }] },
      { ...emptyState(), pending: [{ finding: { ...FINDING, counts: { hits: 'three' } }, channels: [] }] },
    ],
  ],
  [
    'monitor directory',
    directorySchema,
    compiled.monitorDirectory,
    [{ readAt: '2026-12-03T06:00:00.000Z', domains: ['a.example'], accounts: [] }],
    [
      { readAt: '2026-12-03T06:00:00.000Z', domains: [], accounts: [] },
      { readAt: 'this morning', domains: ['a.example'], accounts: [] },
      { readAt: '2026-12-03T06:00:00.000Z', domains: ['a.example'] },
    ],
  ],
];

describe('the compiled validators (src/core/compiled-schemas.js)', () => {
  it('are those the zod schemas give now (run `npm run build` after changing a schema)', async () => {
    const script = join(repo, 'scripts/compile-schemas.mjs');
    const { compileSchemas } = (await import(script)) as { compileSchemas: () => Promise<{ js: string; dts: string }> };
    const { js, dts } = await compileSchemas();
    expect(readFileSync(join(repo, 'src/core/compiled-schemas.js'), 'utf8')).toBe(js);
    expect(readFileSync(join(repo, 'src/core/compiled-schemas.d.ts'), 'utf8')).toBe(dts);
  });

  describe.each(SAMPLES)('%s', (_, schema, validate, valid, invalid) => {
    it.each(valid.map((v) => [JSON.stringify(v), v]))('accepts %s as zod does, with the same defaults and keys', (__, value) => {
      const { zod, ajv } = both(schema, validate, value);
      expect(zod.ok).toBe(true);
      expect(ajv).toEqual(zod);
    });
    it.each(invalid.map((v) => [JSON.stringify(v), v]))('refuses %s as zod does, blaming the same key', (__, value) => {
      const { zod, ajv } = both(schema, validate, value);
      expect(zod.ok).toBe(false);
      expect(ajv).toEqual(zod);
    });
  });

  it('tell what was wrong where, and fill in the monitor defaults', () => {
    expect(checkSchema(compiled.settings, { quota: { limit: '5' } })).toEqual({ ok: false, key: 'quota.limit', message: 'Invalid input: expected int, received string' });
    expect(checkSchema(compiled.settings, { restart: 'sometimes' })).toMatchObject({ key: 'restart', message: 'Invalid option: expected one of "services"|"full"|"none"' });
    expect(checkSchema(compiled.settings, { nope: 1 })).toMatchObject({ key: '(top level)', message: 'Unrecognized key: "nope"' });
    expect(checkSchema(compiled.settings, { catchAll: [{ domain: 'a.example' }] })).toMatchObject({ key: 'catchAll[0].account' });
    const input = { thresholds: { deferrals: 10 } };
    expect(monitorSettings(input)).toEqual(monitorSchema.parse(input));
    expect(input).toEqual({ thresholds: { deferrals: 10 } });
    expect(() => monitorSettings({ smtpPort: 'x' })).toThrow(/smtpPort/);
  });
});
