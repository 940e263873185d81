import * as z from 'zod';
import { STATE_VERSION } from './state-version.js';

/*
 * The shapes of the monitor's own files, as zod schemas. Not loaded at run time: scripts/compile-schemas.mjs
 * turns them into the standalone validators of src/core/compiled-schemas.js, which a cron run uses
 * (zod alone would cost it more CPU than reading ten minutes of log).
 */

const cursorSchema = z.object({
  path: z.string(),
  dev: z.number(),
  ino: z.number(),
  offset: z.number().int().nonnegative(),
  headLength: z.number().int().nonnegative(),
  headHash: z.string(),
});

export const pendingSchema = z.array(
  z.object({
    finding: z.looseObject({
      type: z.string(),
      key: z.string(),
      subject: z.string(),
      firstSeen: z.string(),
      lastSeen: z.string(),
      counts: z.record(z.string(), z.number()),
      reasons: z.array(z.string()),
      evidence: z.array(z.string()),
      actions: z.array(z.string()),
    }),
    channels: z.array(z.string()),
  }),
);

/** src/monitor/state.ts: the saved position and correlation state. */
export const stateSchema = z.object({
  version: z.literal(STATE_VERSION),
  savedAt: z.string(),
  cursors: z.object({ mail: cursorSchema.optional(), policyd: cursorSchema.optional() }),
  correlator: z.unknown().optional(),
  detectors: z.unknown().optional(),
  reported: z.record(z.string(), z.string()),
  pending: pendingSchema.optional(),
});

/** src/monitor/directory-cache.ts: the domains and accounts zmprov listed. */
export const directorySchema = z.object({
  readAt: z.string().datetime(),
  domains: z.array(z.string()).min(1),
  accounts: z.array(z.string()),
});
