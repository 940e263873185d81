import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that drive real outside programs (Perl cbpolicyd, ansible-core, Apache httpd, a terminal
 * under tmux): `npm run test:integration` runs only them, `npm run test:quick` every other file,
 * `npm test` (and CI) all of them.
 */
const INTEGRATION = [
  'test/real/**/*.test.ts',
  'test/ansible/**/*.test.ts',
  'test/audit/webui-apache.test.ts',
  'test/e2e/wizard-terminal.test.ts',
  'test/e2e/terminal-output.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    // A test keeps one core busy with the CLI and the simulated tools it runs, one process at a time:
    // vitest's default (one worker per core but one) would leave a core of a 2-core machine idle.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...INTEGRATION] } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
});
