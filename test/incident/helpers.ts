import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createSandbox, type SandboxInfo } from '../../src/simulation/sandbox/create.js';
import type { SandboxVersion } from '../../src/zimbra/paths.js';
import { jsonLines } from '../helpers/json-lines.js';

/** A simulated host, optionally in the middle of the recipe's incident (a stolen login relaying spam, its spam queued). */
export async function incidentSandbox(version: SandboxVersion, incident: { account?: string; queued?: number } | false = {}): Promise<SandboxInfo> {
  const parent = await mkdtemp(join(tmpdir(), 'zh-incident-'));
  onTestFinished(() => rm(parent, { recursive: true, force: true }));
  return createSandbox(join(parent, 'host'), { version, domains: ['a.example', 'b.example'], ...(incident ? { incident } : {}) });
}

/** JSON lines of a --json run, each checked against docs/json-schema.json. */
export function events(stdout: string): Record<string, unknown>[] {
  return jsonLines(stdout);
}
