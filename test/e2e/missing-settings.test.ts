import { execa } from 'execa';
import { join } from 'node:path';
import { parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { CONTROL_IDS } from '../../src/controls/index.js';
import { jsonLines } from '../helpers/json-lines.js';
import { appliedSandbox, cli, fingerprint, sandbox } from '../helpers/sandbox.js';

const CATCH_ALL = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example'];

/** The suggested command on the line that starts with `label`, as argv (shell words, no shell). */
function suggested(output: string, label: string): string[] {
  const line = output.split('\n').find((l) => l.startsWith(label));
  expect(line, `a line starting with ${label}`).toBeDefined();
  const words = parse(line!.slice(label.length).trim());
  expect(words.every((w) => typeof w === 'string'), 'plain words, no shell operators').toBe(true);
  return words as string[];
}

describe('plan and audit without the settings apply needs', () => {
  it('plan shows every control, the catch-all as an item that says what it needs, and changes nothing; its suggested command works as printed: it sets the catch-all of every domain, and the audit then holds', { timeout: 300_000 }, async () => {
    const box = await sandbox('8.8.15');
    const before = await fingerprint(box.root);

    const text = await cli(['--root', box.root, 'plan']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^needs\s+catch-all\s+mail\.a\.example\n\s+needs --catch-all DOMAIN=ACCOUNT \(config: catchAll\)/m);
    expect(text.stdout).toMatch(/^Plan: \d+ to change, \d+ ok, 1 needs a setting, \d+ skipped, 0 failed\.$/m);

    const json = await cli(['--root', box.root, '--json', 'plan', '--detailed-exitcode']);
    expect(json.exitCode).toBe(2);
    const lines = jsonLines(json.stdout);
    const items = lines.filter((l) => l.type === 'planned_change');
    expect(new Set(items.map((i) => i.id))).toEqual(new Set(CONTROL_IDS));
    expect(items.filter((i) => i.status === 'needs')).toEqual([
      expect.objectContaining({ id: 'catch-all', severity: 'warning', message: expect.stringMatching(/^needs --catch-all DOMAIN=ACCOUNT/) }),
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', mode: 'plan', needs: 1, failed: 0 });
    expect(await fingerprint(box.root)).toEqual(before);

    const argv = suggested(text.stdout, 'To set it up, e.g.:');
    expect(argv.slice(0, 4)).toEqual(['zimbra-harden', '--root', box.root, 'apply']);
    expect(argv).toEqual(expect.arrayContaining(['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=admin@b.example']));
    const apply = await cli(argv.slice(1));
    expect({ code: apply.exitCode, stderr: apply.stderr }).toEqual({ code: 0, stderr: '' });

    const audit = jsonLines((await cli(['--root', box.root, '--json', 'audit'])).stdout);
    expect(audit.filter((l) => l.type === 'audit_finding' && l.id === 'catch-all').map((l) => [l.subject, l.status])).toEqual([
      ['a.example', 'ok'],
      ['b.example', 'ok'],
    ]);
    expect(audit.at(-1)).toMatchObject({ type: 'summary', mode: 'audit', needs: 0 });
  });

  it('audit of a server never set up includes the catch-all, counts it, and -q still shows it', async () => {
    const box = await sandbox('8.8.15');
    const json = await cli(['--root', box.root, '--json', 'audit', '--detailed-exitcode']);
    expect(json.exitCode).toBe(2);
    const lines = jsonLines(json.stdout);
    expect(lines.filter((l) => l.type === 'audit_finding' && l.id === 'catch-all')).toEqual([expect.objectContaining({ status: 'needs', subject: box.hostname })]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', mode: 'audit', needs: 1 });

    const quiet = await cli(['--root', box.root, '-q', 'audit']);
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stdout).toMatch(/^needs\s+catch-all /m);
    expect(quiet.stdout).toMatch(/^Audit: ok=\d+ drift=\d+ needs=1 skipped=\d+ failed=0$/m);
  });

  it('the drift suggestion of an audit works as printed too', { timeout: 300_000 }, async () => {
    const box = await appliedSandbox('8.8.15', {}, CATCH_ALL);
    // Drift: someone removed the catch-all by hand.
    await execa(join(box.root, 'opt/zimbra/bin/zmprov'), ['ma', 'admin@a.example', '-zimbraMailCatchAllAddress', '@a.example']);
    const audit = await cli(['--root', box.root, 'audit']);
    expect(audit.stdout).toMatch(/^drift\s+catch-all\s+a\.example/m);
    expect(audit.stdout).not.toMatch(/^needs/m);
    const fix = await cli(suggested(audit.stdout, 'To fix the drift:').slice(1));
    expect({ code: fix.exitCode, stderr: fix.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await cli(['--root', box.root, 'audit', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('apply still refuses without the setting, before anything changes; with --json the error is a JSON line on stdout too, its text on stderr', async () => {
    const box = await sandbox('8.8.15');
    const before = await fingerprint(box.root);
    const result = await cli(['--root', box.root, '--json', 'apply', '--yes'], { cwd: box.root });
    expect(result.exitCode).toBe(64);
    expect(result.stderr).toMatch(/missing setting: catchAll \(flag --catch-all/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'error', exitCode: 64, message: expect.stringMatching(/missing setting: catchAll/) });
    expect(await fingerprint(box.root)).toEqual(before);
  });
});
