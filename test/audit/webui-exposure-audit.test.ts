import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN } from '../../src/apache/httpd-conf.js';
import { appliedSandbox, cli } from '../helpers/sandbox.js';

// Only the web UI's access block is looked at: the other controls are skipped, which keeps each run short.
const OTHERS = ['catch-all', 'cbpolicyd-service', 'postfix-policy', 'webui-db', 'policyd-quota', 'sender-login-match', 'monitor-cron', 'restart'];
const SKIP = OTHERS.flatMap((id) => ['--skip', id]);
const REGRANT_24 = '\n<Location "/webui">\n    Require all granted\n</Location>\n';
const REGRANT_22 = '\n<Location "/webui">\n    Order allow,deny\n    Allow from all\n</Location>\n';

/** A server whose web UI block a successful apply wrote (once per vitest run, then copied), audited clean. */
async function hardened(version: '8.8.15' | '8.6.0') {
  const box = await appliedSandbox(version, {}, SKIP);
  const conf = join(box.root, 'opt/zimbra/conf/httpd.conf');
  const run = (command: string, ...more: string[]) => cli(['--root', box.root, ...(command === 'apply' ? [command, '--yes'] : ['--detailed-exitcode', command]), ...SKIP, ...more]);
  expect((await run('audit')).exitCode).toBe(0);
  return { box, conf, run };
}

describe('the web UI audit judges what Apache would do for an outside address', () => {
  it.each([
    ['8.8.15', REGRANT_24],
    ['8.6.0', REGRANT_22],
  ] as const)('%s: a section after the managed block that lets everyone in again is drift; apply moves the block to the end', async (version, regrant) => {
    const { conf, run } = await hardened(version);
    await appendFile(conf, regrant);
    const audit = await run('audit');
    expect(audit.exitCode).toBe(2);
    expect(audit.stdout).toMatch(/\/webui answers outside addresses \(203\.0\.113\.7\): .*httpd\.conf:\d+ lets them in after the managed block; move the block to the end/);
    expect(audit.stdout).not.toMatch(/answers only/);
    expect((await run('apply')).exitCode).toBe(0);
    const text = await readFile(conf, 'utf8');
    expect(text.indexOf(BEGIN)).toBeGreaterThan(text.indexOf('<Location "/webui">\n    ' + (version === '8.8.15' ? 'Require all granted' : 'Order allow,deny')));
    const after = await run('audit');
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toMatch(/\/webui answers only 127\.0\.0\.1, ::1/);
  });

  it('an included file or a virtual host that re-grants it and cannot be outranked is a failure that names it', async () => {
    const { box, conf, run } = await hardened('8.8.15');
    await writeFile(join(box.root, 'opt/zimbra/conf/webui-open.conf'), `<VirtualHost *:7780>${REGRANT_24}</VirtualHost>\n`);
    const original = await readFile(conf, 'utf8');
    await writeFile(conf, `Include /opt/zimbra/conf/webui-open.conf\n${original}`);
    const audit = await run('audit');
    expect(audit.exitCode).toBe(1);
    expect(audit.stdout).toMatch(/fail\s+webui-exposure[\s\S]*\/webui answers outside addresses \(203\.0\.113\.7\) despite the managed block: \/opt\/zimbra\/conf\/webui-open\.conf:2 lets them in/);
  });

  it('with a wide admin network the audit says so; /0 is refused', async () => {
    const { run } = await hardened('8.8.15');
    const wide = await run('apply', '--webui-allow', '10.0.0.0/8');
    expect(wide.exitCode, wide.stderr).toBe(0);
    expect((await run('audit', '--webui-allow', '10.0.0.0/8')).stdout).toMatch(/10\.0\.0\.0\/8 is a wide network/);
    const all = await run('apply', '--webui-allow', '0.0.0.0/0');
    expect(all.exitCode).toBe(64);
    expect(all.stderr).toMatch(/--webui-allow: 0\.0\.0\.0\/0 lets in every IPv4 address/);
  });
});
