import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where appliedSandbox() keeps the trees it applied once in this vitest run. */
    appliedSandboxes: string;
  }
}

/**
 * Tests run the built CLI and simulated tools as real processes: build them once per vitest run
 * (not once per project), and give every project the same folder of applied sandboxes.
 */
export default function setup(project: TestProject): (() => void) | undefined {
  let owner = false;
  if (!process.env.ZIMBRA_HARDEN_TEST_BUILT) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
    process.env.ZIMBRA_HARDEN_TEST_BUILT = '1';
    process.env.ZIMBRA_HARDEN_TEST_APPLIED = mkdtempSync(join(tmpdir(), 'zh-applied-'));
    owner = true;
  }
  const applied = process.env.ZIMBRA_HARDEN_TEST_APPLIED ?? mkdtempSync(join(tmpdir(), 'zh-applied-'));
  project.provide('appliedSandboxes', applied);
  return owner ? () => rmSync(applied, { recursive: true, force: true }) : undefined;
}
