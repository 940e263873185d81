import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';

it('the demo hardens its sandbox, audits it clean, and its monitor finds the stolen account', async () => {
  const zx = join(import.meta.dirname, '../../node_modules/.bin/zx');
  const result = await execa(zx, ['scripts/demo.mjs'], { cwd: join(import.meta.dirname, '../..'), env: { CI: '1', NO_COLOR: '1' }, reject: false });
  const root = /The simulated server is in (\S+)/.exec(result.stdout)?.[1];
  if (root) onTestFinished(() => rm(join(root, '..'), { recursive: true, force: true }));
  expect(result.stdout).toMatch(/Applied: ok=\d+ changed=\d+ skipped=\d+ failed=0/);
  expect(result.stdout).toMatch(/Audit: ok=\d+ drift=0 skipped=\d+ failed=0/);
  expect(result.stdout).toMatch(/carol@a\.example: Forged-sender relaying/);
  expect(result.stdout).toMatch(/zimbra-harden --root '[^']+' contain 'carol@a\.example'/);
  expect(root).toBeDefined();
});
