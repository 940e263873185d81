import { execa } from 'execa';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines } from '../helpers/json-lines.js';
import { cli, fingerprint, sandbox } from '../helpers/sandbox.js';

const SETTINGS = ['--catch-all', 'a.example=admin@a.example', '--catch-all', 'b.example=bob@b.example', '--sender-login-match'];
const WEBHOOK = 'https://hooks.example.net/services/T000/B000/very-secret-token';

/** The ids and subjects of the items a plan file says will change. */
async function plannedChanges(file: string): Promise<{ id: string; subject: string }[]> {
  const plan = JSON.parse(await readFile(file, 'utf8')) as { items: { control: string; subject: string; status: string }[] };
  return plan.items.filter((i) => i.status === 'change').map((i) => ({ id: i.control, subject: i.subject }));
}

describe('plan --out FILE, then apply FILE', () => {
  it('applies exactly the saved plan; the file is 0600 and holds no secret', { timeout: 300_000 }, async () => {
    const box = await sandbox('8.8.15');
    const file = join(box.root, '..', 'hardening.plan');
    const root = ['--root', box.root];

    const plan = await cli([...root, 'plan', '--out', file, ...SETTINGS, '--report-to', 'admin@a.example', '--webhook-url', WEBHOOK]);
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain(`Saved this plan to ${file} (mode 0600)`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    const localconfig = await readFile(join(box.root, 'opt/zimbra/conf/localconfig.xml'), 'utf8');
    const ldapPassword = /<key name="zimbra_ldap_password">\s*<value>([^<]+)<\/value>/.exec(localconfig)?.[1];
    expect(ldapPassword).toBeTruthy();
    expect(text).not.toContain(ldapPassword);
    expect(text).not.toContain('very-secret-token');
    expect(text).not.toContain('<?php'); // file contents are kept as their sha256
    const changes = await plannedChanges(file);
    expect(changes.map((c) => c.id)).toEqual(expect.arrayContaining(['catch-all', 'policyd-quota', 'sender-login-match', 'monitor-cron', 'restart']));

    // The webhook URL comes back from the config file, as the plan was made with it.
    await mkdir(join(box.root, 'etc/zimbra-harden'), { recursive: true });
    await writeFile(join(box.root, 'etc/zimbra-harden/config.json'), JSON.stringify({ monitor: { webhookUrl: WEBHOOK } }));
    const apply = await cli([...root, '--json', '--yes', 'apply', file]);
    expect(apply.stderr).toBe('');
    expect(apply.exitCode).toBe(0);
    const lines = jsonLines(apply.stdout);
    const summary = lines.find((l) => l.type === 'summary');
    expect(summary).toMatchObject({ mode: 'apply', notApplied: [], failed: 0, verified: true });
    // What needs the restart first (the quota rows of a database cbpolicyd creates) is applied after it.
    const byName = (refs: { id: string; subject: string }[]) => refs.map((r) => `${r.id} ${r.subject}`).sort();
    expect(byName(summary!.applied as { id: string; subject: string }[])).toEqual(byName(changes));
    expect(lines.filter((l) => l.type === 'verify').map((l) => l.message)).toEqual([
      'cbpolicyd is running',
      expect.stringMatching(/^Postfix asks cbpolicyd/),
      'Postfix enforces reject_authenticated_sender_login_mismatch',
    ]);

    // The settings saved are the plan's: the next run needs no flags and finds nothing to do.
    const saved = JSON.parse(await readFile(join(box.root, 'etc/zimbra-harden/config.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toMatchObject({ senderLoginMatch: true, monitor: { reportTo: 'admin@a.example', webhookUrl: WEBHOOK } });
    expect((await cli([...root, 'plan', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('refuses a stale plan and changes nothing', { timeout: 300_000 }, async () => {
    const box = await sandbox('8.8.15');
    const file = join(box.root, '..', 'hardening.plan');
    const root = ['--root', box.root];
    expect((await cli([...root, 'plan', '--out', file, ...SETTINGS])).exitCode).toBe(0);

    // Someone sets one catch-all by hand after the plan was made.
    const zmprov = await execa(join(box.root, 'opt/zimbra/bin/zmprov'), ['ma', 'admin@a.example', '+zimbraMailCatchAllAddress', '@a.example'], { reject: false });
    expect(zmprov.exitCode).toBe(0);
    const before = await fingerprint(box.root);
    const apply = await cli([...root, '--yes', 'apply', file]);
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr.trim().split('\n')).toEqual([
      `zimbra-harden: the plan ${file} is stale: catch-all a.example was change, is now ok; nothing was changed; make a new plan: zimbra-harden --root '${box.root}' plan --out '${file}'`,
    ]);
    expect(await fingerprint(box.root)).toEqual(before);
  });

  it('refuses what is not a plan of this format, and setting flags next to a plan', async () => {
    const box = await sandbox('8.8.15');
    const root = ['--root', box.root];
    const dir = join(box.root, '..');
    const before = await fingerprint(box.root);
    const cases: [string, string, RegExp][] = [
      ['config.json', JSON.stringify({ catchAll: [] }), /config\.json is not a zimbra-harden plan \(make one with: zimbra-harden plan --out FILE\)$/],
      ['old.plan', JSON.stringify({ format: 'zimbra-harden-plan', formatVersion: 99, items: [] }), /old\.plan is a plan of format version 99; this zimbra-harden reads version 1: make the plan again/],
      ['broken.plan', '{"format": "zimbra-harden-plan", ', /broken\.plan is not a zimbra-harden plan/],
    ];
    for (const [name, content, message] of cases) {
      await writeFile(join(dir, name), content);
      const r = await cli([...root, '--yes', 'apply', join(dir, name)]);
      expect({ name, code: r.exitCode, lines: r.stderr.trim().split('\n').length }).toEqual({ name, code: 64, lines: 1 });
      expect(r.stderr).toMatch(message);
    }
    const flags = await cli([...root, '--yes', 'apply', join(dir, 'old.plan'), '--quota', '50', '--no-sender-login-match']);
    expect(flags.exitCode).toBe(64);
    expect(flags.stderr).toContain("the settings are the plan's; drop --quota, --no-sender-login-match");
    expect(await fingerprint(box.root)).toEqual(before);
  });
});
