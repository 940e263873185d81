/**
 * A saved plan (`plan --out FILE`, then `apply FILE`, as Terraform does): the settings and every
 * item as plain JSON, without a secret: a file's new content is kept as its sha256 (its diff, redacted,
 * shows the change) and a webhook URL as its sha256. `apply FILE` plans again with the saved settings
 * and applies only when that gives exactly the saved plan; otherwise the plan is stale.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import * as z from 'zod';
import { UsageError } from '../errors.js';
import type { Observation } from '../core/engine.js';
import { settingsSchema, type Settings } from '../core/settings.js';
import { checkSettings } from './settings-check.js';
import type { Item } from '../core/types.js';

export const PLAN_FORMAT = 'zimbra-harden-plan';
/** Raised when what a plan file holds changes meaning; a file of another version is refused. */
export const PLAN_FORMAT_VERSION = 1;

const headerSchema = z.object({ format: z.literal(PLAN_FORMAT), formatVersion: z.number() });

const savedPlanSchema = z.object({
  format: z.literal(PLAN_FORMAT),
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  createdAt: z.string(),
  tool: z.string(),
  server: z.object({ hostname: z.string(), release: z.string() }),
  settings: settingsSchema,
  webhookUrlSha256: z.string().optional(),
  items: z.array(z.record(z.string(), z.unknown())),
});

export type SavedPlan = z.infer<typeof savedPlanSchema>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** An item as the plan file holds it: a file's content as its sha256, everything else as is (JSON). */
function savedItem(item: Item): Record<string, unknown> {
  const actions = item.actions.map((action) => {
    if (action.kind !== 'write-file') return action;
    const { content, ...rest } = action;
    return { ...rest, contentSha256: sha256(content) };
  });
  return JSON.parse(JSON.stringify({ ...item, actions })) as Record<string, unknown>;
}

/** The plan file's content for an observation made with `settings`. */
export function savePlan(obs: Observation, settings: Settings, tool: string, now = new Date()): SavedPlan {
  const { webhookUrl, ...monitor } = settings.monitor ?? {};
  const kept: Settings = settings.monitor ? { ...settings, monitor: monitor as Settings['monitor'] } : settings;
  return {
    format: PLAN_FORMAT,
    formatVersion: PLAN_FORMAT_VERSION,
    createdAt: now.toISOString(),
    tool,
    server: { hostname: obs.env.hostname, release: obs.env.version.raw },
    settings: kept,
    ...(webhookUrl !== undefined ? { webhookUrlSha256: sha256(webhookUrl) } : {}),
    items: obs.items.map(savedItem),
  };
}

/** Writes the plan file, mode 0600 from its first byte, replacing any file of that name at once. */
export async function writePlanFile(path: string, plan: SavedPlan): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

/** Reads a plan file; anything but a plan of this format version is refused in one line naming the file. */
export async function readPlanFile(path: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the plan ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const header = headerSchema.safeParse(json);
  if (!header.success) throw new UsageError(`${path} is not a zimbra-harden plan (make one with: zimbra-harden plan --out FILE)`);
  if (header.data.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new UsageError(`${path} is a plan of format version ${header.data.formatVersion}; this zimbra-harden reads version ${PLAN_FORMAT_VERSION}: make the plan again (plan --out)`);
  }
  const plan = savedPlanSchema.safeParse(json);
  if (!plan.success) {
    const first = plan.error.issues[0]!;
    throw new UsageError(`${path} is not a valid zimbra-harden plan: ${first.path.join('.') || '(top level)'}: ${first.message}`);
  }
  const problem = checkSettings(plan.data.settings)[0];
  if (problem) throw new UsageError(`${path}: settings.${problem.key}: ${problem.message}`);
  return plan.data;
}

/**
 * The settings to apply the plan with. A webhook URL is not in the file: it is taken from `config`
 * (the config file) when it is the one the plan was made with; undefined when it is not.
 */
export function planSettings(plan: SavedPlan, config: Settings): Settings | undefined {
  if (plan.webhookUrlSha256 === undefined) return plan.settings;
  const url = config.monitor?.webhookUrl;
  if (url === undefined || sha256(url) !== plan.webhookUrlSha256) return undefined;
  return { ...plan.settings, monitor: { ...plan.settings.monitor!, webhookUrl: url } };
}

/** Why the server no longer gives the saved plan (the first difference); undefined when it gives exactly that plan. */
export function staleness(plan: SavedPlan, obs: Observation): string | undefined {
  if (plan.server.hostname !== obs.env.hostname) return `it was made on ${plan.server.hostname}, this is ${obs.env.hostname}`;
  if (plan.server.release !== obs.env.version.raw) return `it was made on ZCS ${plan.server.release}, the server now runs ${obs.env.version.raw}`;
  const now = obs.items.map(savedItem);
  for (let n = 0; n < Math.max(now.length, plan.items.length); n++) {
    const was = plan.items[n];
    const is = now[n];
    if (JSON.stringify(was) === JSON.stringify(is)) continue;
    const name = (i: Record<string, unknown> | undefined) => (i ? `${String(i.control)} ${String(i.subject)}` : undefined);
    if (!was) return `${name(is)} is new`;
    if (!is) return `${name(was)} is gone`;
    if (name(was) !== name(is)) return `${name(was)} is now ${name(is)}`;
    return was.status !== is.status ? `${name(was)} was ${String(was.status)}, is now ${String(is.status)}` : `${name(was)} would now do something else`;
  }
  return undefined;
}
