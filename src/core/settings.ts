import * as z from 'zod';
import { SETTINGS, type SettingOption } from './options.js';

/** Catch-all: mail to unknown addresses of `domain` is kept in `account` instead of bounced. */
export const catchAllSchema = z.object({
  domain: z.string(),
  account: z.string(),
});

export const monitorThresholdsSchema = z.object({
  /** Recipients per hour from one account above which it is flagged as stolen. */
  recipientsPerHour: z.number().int().positive().default(300),
  /** Distinct outside recipients in the window above which an account is flagged. */
  distinctRecipients: z.number().int().positive().default(100),
  /** Distinct client networks (/16 IPv4, /48 IPv6: a stand-in for countries) logging in to one account within the window. */
  distinctClientIps: z.number().int().positive().default(5),
  /** Bounces to senders we never mailed, per window, before a backscatter episode is reported (a few dozen an hour already is one). */
  backscatterBounces: z.number().int().positive().default(20),
  /** Messages deferred for the first time, per window, before a growing queue is reported (rate limiting and DNS failures: 10). */
  deferrals: z.number().int().positive().default(200),
  /** Window, in minutes, the rates above are measured over. */
  windowMinutes: z.number().int().positive().default(60),
});

export const monitorSchema = z.object({
  ...shapeOf(SETTINGS.monitor, 'defaults'),
  thresholds: monitorThresholdsSchema.default(monitorThresholdsSchema.parse({})),
  /** Recipients per hour that a known high-volume account may send without being flagged (account → number). */
  allowances: z.record(z.string(), z.number().int().positive()).default({}),
});

/** `incident`: where and how to check the block lists. */
export const incidentSchema = z.object(shapeOf(SETTINGS.incident, 'optional'));

const { quota, monitor, incident, ...topLevel } = SETTINGS;

/** Every setting of zimbra-harden, as kept in the config file (flags override it): the option table's shape. */
export const settingsSchema = z
  .object({
    $schema: z.string().optional(),
    ...ordered(SETTINGS, {
      ...shapeOf(topLevel, 'optional'),
      quota: z.object(shapeOf(quota, 'optional')).optional(),
      monitor: monitorSchema.optional(),
      incident: incidentSchema.optional(),
    }),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type CatchAll = z.infer<typeof catchAllSchema>;
export type MonitorSettings = z.infer<typeof monitorSchema>;
export type IncidentSettings = z.infer<typeof incidentSchema>;
export type MonitorThresholds = z.infer<typeof monitorThresholdsSchema>;

export { DEFAULT_CONFIG_PATH } from './config-path.js';
export { SMTP_SECURITY, SYSLOG_FACILITIES } from './options.js';

/** The zod type of one setting of the option table (ranges and names are checked in settings-check.ts, with the flag's name). */
type SchemaOf<O> = O extends { kind: 'count' }
  ? z.ZodNumber
  : O extends { kind: 'choice'; choices: infer C extends readonly string[] }
    ? z.ZodEnum<{ [K in C[number]]: K }>
    : O extends { kind: 'text' }
      ? z.ZodString
      : O extends { kind: 'list' }
        ? z.ZodArray<z.ZodString>
        : O extends { kind: 'switch' }
          ? z.ZodBoolean
          : O extends { kind: 'catch-all' }
            ? z.ZodArray<typeof catchAllSchema>
            : never;

function schemaOf<O extends SettingOption>(option: O): SchemaOf<O> {
  const schema = {
    count: () => z.number().int(),
    choice: () => z.enum((option as Extract<SettingOption, { kind: 'choice' }>).choices),
    text: () => z.string(),
    list: () => z.array(z.string()),
    switch: () => z.boolean(),
    'catch-all': () => z.array(catchAllSchema),
  }[option.kind]();
  return schema as unknown as SchemaOf<O>;
}

/** `optional`: a missing key stays missing (used from the option's default where it is read); `defaults`: zod fills in the default. */
type ShapeOf<T, Mode> = {
  [K in keyof T]: Mode extends 'defaults' ? (T[K] extends { default: unknown } ? z.ZodDefault<SchemaOf<T[K]>> : z.ZodOptional<SchemaOf<T[K]>>) : z.ZodOptional<SchemaOf<T[K]>>;
};

function shapeOf<T extends Record<string, SettingOption>, Mode extends 'optional' | 'defaults'>(section: T, mode: Mode): ShapeOf<T, Mode> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, option] of Object.entries(section)) {
    const schema = schemaOf(option) as z.ZodType;
    shape[name] = mode === 'defaults' && option.default !== undefined ? schema.default(option.default as never) : schema.optional();
  }
  return shape as ShapeOf<T, Mode>;
}

/** The shape's keys in the table's order (the order of a saved config file). */
function ordered<S extends Record<string, z.ZodType>>(table: object, shape: S): S {
  return Object.fromEntries(Object.keys(table).map((key) => [key, shape[key]])) as S;
}
