import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CONTROL_IDS } from '../../src/controls/ids.js';
import { jsonLines } from '../helpers/json-lines.js';
import { cli, sandbox } from '../helpers/sandbox.js';
import { incidentSandbox } from '../incident/helpers.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];
const ESC = '\x1b[';

/** The first word of every line that is not indented: the item's status, or the recap's label. */
const heads = (stdout: string) => stdout.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(/\s/)[0]);

/** An empty folder for `sandbox create`, removed when the test ends. */
async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zh-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('-q: silent when all is well, only problems otherwise', () => {
  it('plan, audit and apply: what would change or drifted, nothing once hardened; --detailed-exitcode tells changed from ok', { timeout: 300_000 }, async () => {
    const box = await sandbox('8.8.15');
    const root = ['--root', box.root];

    const plan = await cli([...root, '-q', 'plan', '--detailed-exitcode', ...CATCH_ALL]);
    expect(plan.exitCode).toBe(2);
    expect(new Set(heads(plan.stdout))).toEqual(new Set(['change', 'Plan:']));
    expect(plan.stdout).toMatch(/^Plan: \d+ to change, \d+ ok, \d+ skipped, 0 failed\.$/m);

    const audit = await cli([...root, '-q', 'audit', '--detailed-exitcode', ...CATCH_ALL]);
    expect(audit.exitCode).toBe(2);
    expect(new Set(heads(audit.stdout))).toEqual(new Set(['drift', 'Audit:', 'To']));
    expect(audit.stdout).not.toMatch(/^ok /m);

    const apply = await cli([...root, '-q', 'apply', '--yes', '--detailed-exitcode', ...CATCH_ALL]);
    expect({ code: apply.exitCode, stdout: apply.stdout, stderr: apply.stderr }).toEqual({ code: 2, stdout: '', stderr: '' });

    for (const command of [['audit'], ['plan'], ['apply', '--yes']]) {
      const again = await cli([...root, '-q', ...command, '--detailed-exitcode']);
      expect({ command, code: again.exitCode, stdout: again.stdout, stderr: again.stderr }).toEqual({ command, code: 0, stdout: '', stderr: '' });
    }
  });

  it('sandbox, cron and incident say nothing unless there is a problem', async () => {
    const more = join(await emptyDir(), 'more');
    const created = await cli(['-q', 'sandbox', 'create', more]);
    expect({ code: created.exitCode, stdout: created.stdout }).toEqual({ code: 0, stdout: '' });
    const root = ['--root', more];
    for (const command of [['cron', 'install', '--yes'], ['cron', 'show'], ['cron', 'remove', '--yes']]) {
      const result = await cli([...root, '-q', ...command]);
      expect({ command, code: result.exitCode, stdout: result.stdout }).toEqual({ command, code: 0, stdout: '' });
    }
    // Not installed is worth saying, even with -q.
    expect((await cli([...root, '-q', 'cron', 'show'])).stdout).toMatch(/not installed/);

    const quiet = await cli([...root, '-q', 'incident', '--no-blocklists']);
    expect({ code: quiet.exitCode, stdout: quiet.stdout }).toEqual({ code: 0, stdout: '' });
    const box = await incidentSandbox('8.8.15', { account: 'carol@a.example' });
    const found = await cli(['--root', box.root, '-q', 'incident', '--no-blocklists']);
    expect(found.exitCode).toBe(2);
    expect(found.stdout).toMatch(/carol@a\.example/);
  });
});

describe('JSON lines', () => {
  it('match the published schema: versioned, no file contents; an audit reports drift as drift, with a severity on every item and actions as argv; a plan with changes exits 0 without --detailed-exitcode', async () => {
    const box = await sandbox('8.8.15');
    const audit = await cli(['--root', box.root, '--json', 'audit', ...CATCH_ALL]);
    const lines = jsonLines(audit.stdout);
    const findings = lines.filter((l) => l.type === 'audit_finding');
    expect(findings.length).toBeGreaterThan(5);
    expect(new Set(findings.map((l) => l.status))).toContain('drift');
    expect(findings.some((l) => l.status === 'change')).toBe(false);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', mode: 'audit', drift: findings.filter((l) => l.status === 'drift').length });
    expect(summary).not.toHaveProperty('changed');

    // Terraform's rule: without --detailed-exitcode a plan with changes still exits 0.
    const planRun = await cli(['--root', box.root, 'plan', '--json', ...CATCH_ALL]);
    expect(planRun.exitCode).toBe(0);
    const plan = jsonLines(planRun.stdout);
    expect(plan[0]).toEqual({ type: 'version', schema: '2.1', tool: 'zimbra-harden' });
    expect(plan.filter((l) => l.type === 'planned_change').map((l) => l.id)).toEqual([
      'catch-all',
      'catch-all',
      'cbpolicyd-service',
      'postfix-policy',
      'webui-db',
      'policyd-quota',
      'policyd-quota',
      'sender-login-match',
      'webui-exposure',
      'webui-exposure',
      'monitor-cron',
      'restart',
    ]);
    expect(planRun.stdout).not.toContain('"content"');
    expect(plan.at(-1)).toMatchObject({ type: 'summary', mode: 'plan', changed: 8, skipped: 2 });
    const catchAll = plan.find((l) => l.type === 'planned_change' && l.id === 'catch-all')!;
    expect(catchAll).toMatchObject({ status: 'change', severity: 'warning' });
    expect(catchAll.actions).toEqual([
      { kind: 'zmprov', argv: ['zmprov', 'ma', 'admin@a.example', '+zimbraMailCatchAllAddress', '@a.example'], description: 'zmprov ma admin@a.example +zimbraMailCatchAllAddress @a.example' },
    ]);
  });

  it('sandbox and cron lines match the schema too', async () => {
    const more = join(await emptyDir(), 'more');
    const created = jsonLines((await cli(['--json', 'sandbox', 'create', more])).stdout);
    expect(created.map((l) => l.type)).toEqual(['version', 'sandbox']);
    const root = ['--root', more, '--json'];
    const statuses = [];
    for (const command of [['cron', 'show'], ['cron', 'install', '--dry-run'], ['cron', 'install', '--yes'], ['cron', 'remove', '--yes']]) {
      statuses.push(jsonLines((await cli([...root, ...command])).stdout).at(-1)!.status);
    }
    expect(statuses).toEqual(['absent', 'change', 'changed', 'removed']);
  });

  // A missing setting as a JSON error line: test/e2e/missing-settings.test.ts.
  it('an error is a JSON line on stdout too', async () => {
    const typo = await cli(['--json', 'audt']);
    expect(typo.exitCode).toBe(64);
    expect(jsonLines(typo.stdout)).toEqual([expect.objectContaining({ type: 'version' }), { type: 'error', exitCode: 64, message: "unknown command 'audt' (Did you mean audit?)" }]);
  });
});

describe('help and usage', () => {
  it('every command lists the global options, examples and exit codes; audit offers only what it honours', async () => {
    const audit = await cli(['audit', '--help']);
    expect(audit.exitCode).toBe(0);
    for (const flag of ['--json', '--yes', '--detailed-exitcode', '--root', '--quiet', '--no-color']) expect(audit.stdout).toContain(flag);
    expect(audit.stdout).toMatch(/Examples:\n {2}\$ zimbra-harden audit/);
    expect(audit.stdout).toMatch(/Exit codes:\n {2}0 /);
    expect(audit.stdout).not.toContain('--restart');
    expect(audit.stdout).not.toContain('installs the monitor cron job');
    const apply = await cli(['apply', '--help']);
    expect(apply.stdout).toContain('--restart');
    expect(apply.stdout.replace(/\s+/g, ' ')).toContain('installs the monitor cron job');
  });

  it('a mistyped command is named, with a suggestion, and exits 64', async () => {
    const typo = await cli(['audt']);
    expect(typo.exitCode).toBe(64);
    expect(typo.stderr).toMatch(/unknown command 'audt'\n\(Did you mean audit\?\)/);
  });
});

describe('colour without a terminal', () => {
  // An audit that skips every control still prints coloured items, at two simulated tools a run instead of nine.
  it('FORCE_COLOR and --color turn it on for CI logs; NO_COLOR turns it off unless --color says otherwise', { timeout: 180_000 }, async () => {
    const box = await sandbox('8.8.15');
    const skipAll = CONTROL_IDS.flatMap((id) => ['--skip', id]);
    const audit = async (args: string[], env: Record<string, string>) =>
      (await cli(['--root', box.root, ...args, 'audit', ...skipAll], { env: { PATH: process.env.PATH ?? '', ...env }, extendEnv: false })).stdout;
    const plain = await audit([], {});
    expect(plain).toMatch(/^skip\s+catch-all/m);
    expect(plain).not.toContain(ESC);
    expect(await audit([], { FORCE_COLOR: '1' })).toContain(ESC);
    expect(await audit([], { FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain(ESC);
    expect(await audit(['--color'], { NO_COLOR: '1' })).toContain(ESC);
  });
});
