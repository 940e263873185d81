import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Files that drive real outside programs (Perl cbpolicyd, Postfix's postconf, ansible-core, Apache httpd, a terminal
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

/**
 * In-process files that leave no process-wide state behind (no signal handlers, environment, spies
 * or mocks): each worker imports the modules once for all of them rather than once per file.
 * test/core/apply-interrupt.test.ts sends SIGINT to the process, so it stays in 'main', isolated;
 * a file not named here runs isolated too.
 */
const IN_PROCESS = [
  'test/unit/**/*.test.ts',
  'test/ui/**/*.test.ts',
  'test/core/**/!(apply-interrupt).test.ts',
  'test/monitor/{accounts,byte-parsers,episodes,formats,incidents,incremental,marked-lines,parsers,quirks,real-world,relay,syslog-line}.test.ts',
  'test/wizard/{limit-prompts,prompts}.test.ts',
  'test/incident/{dnsbl,texts}.test.ts',
];

/**
 * Files that run the built CLI or the simulated tools as processes and keep no process-wide state in
 * the worker (no signal handlers, environment or cwd changes, spies or module mocks; every sandbox,
 * server and folder is removed by its own test or block): they share their workers too. Not here:
 * test/wizard/flow.test.ts (@inquirer/testing mocks modules) and test/monitor (spies on stdout).
 */
const PROCESSES = [
  'test/e2e/{apply-cli,closed-pipe,demo,foundation,interrupted-apply,missing-settings,outbound-limits,output-flags,safety,saved-plan,sender-login-and-webui}.test.ts',
  'test/sandbox/**/*.test.ts',
  'test/audit/{config-validation,cron-file,effective-access,webui-exposure-audit}.test.ts',
  'test/incident/{contain,queue-listing,triage}.test.ts',
  'test/safety/**/*.test.ts',
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
      { extends: true, test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, ...INTEGRATION, ...IN_PROCESS, ...PROCESSES] } },
      { extends: true, test: { name: 'processes', include: PROCESSES, isolate: false } },
      { extends: true, test: { name: 'in-process', include: IN_PROCESS, isolate: false } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
    ],
  },
});
