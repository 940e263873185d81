import { execFileSync } from 'node:child_process';

/** Tests run the built CLI and simulated tools as real processes: build them once per vitest run (not once per project). */
export default function setup(): void {
  if (process.env.ZIMBRA_HARDEN_TEST_BUILT) return;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  process.env.ZIMBRA_HARDEN_TEST_BUILT = '1';
}
