import { execFileSync } from 'node:child_process';

/** Tests run the built CLI and simulated tools as real processes: build them once. */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
