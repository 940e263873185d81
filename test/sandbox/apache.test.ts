import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RealHost } from '../../src/host/real-host.js';
import { readServices } from '../../src/simulation/sandbox/state.js';
import { SANDBOX_VERSIONS, zimbraPaths } from '../../src/zimbra/paths.js';
import { run, sandbox } from './helpers.js';

const paths = (v: string) => {
  const [major, minor, patch] = v.split('.').map(Number) as [number, number, number];
  return zimbraPaths({ major, minor, patch });
};

describe.each(SANDBOX_VERSIONS)("ZCS %s: Zimbra's Apache and PHP", (version) => {
  it('has httpd.conf on port 7780 as zimbra, that apachectl -t accepts', async () => {
    const info = await sandbox(version, { webui: true });
    const conf = readFileSync(path.join(info.root, '/opt/zimbra/conf/httpd.conf'), 'utf8');
    expect(conf).toMatch(/^Listen 7780$/m);
    expect(conf).toMatch(/^User zimbra$/m);
    expect(conf).toContain(`DocumentRoot "${paths(version).apacheDocroot}"`);
    expect(conf).toMatch(/AllowOverride None/);
    const result = await run(info, 'apachectl', ['-t']);
    expect(result).toMatchObject({ exitCode: 0, stderr: 'Syntax OK\n' });
  });

  it('publishes the web UI in the docroot unless told not to', async () => {
    const info = await sandbox(version, { webui: true });
    const link = path.join(info.root, paths(version).apacheDocroot, 'webui');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(path.join(info.root, paths(version).webuiDir ?? paths(version).webuiManualDir)));
    const hidden = await sandbox(version, { webui: true, publishWebui: false });
    expect(existsSync(path.join(hidden.root, paths(version).apacheDocroot, 'webui'))).toBe(false);
  });

  it("runs the system's real PHP; -m can be made to lack pdo_sqlite", async () => {
    const info = await sandbox(version);
    expect((await run(info, 'php', ['-m'])).stdout).toMatch(/^pdo_sqlite$/m);
    const bad = path.join(info.root, 'bad.php');
    writeFileSync(bad, '<?php $x = ;\n');
    const lint = await run(info, 'php', ['-l', bad]);
    expect(lint.exitCode).not.toBe(0);
    expect(lint.stdout + lint.stderr).toMatch(/syntax error/i);
    const without = await sandbox(version, { phpPdoSqlite: false });
    const modules = (await run(without, 'php', ['-m'])).stdout;
    expect(modules).toMatch(/^PDO$/m);
    expect(modules).not.toMatch(/^pdo_sqlite$/m);
  });
});

describe('apachectl', () => {
  it('answers a broken file with Apache\'s error and exit 1, a temporary copy included', async () => {
    const info = await sandbox('8.8.15');
    const copy = path.join(info.root, 'scratch-httpd.conf');
    writeFileSync(copy, `${readFileSync(path.join(info.root, '/opt/zimbra/conf/httpd.conf'), 'utf8')}<Location "/webui">\n    Require ip 300.0.0.1\n</Location>\n`);
    const result = await run(info, 'apachectl', ['-t', '-f', copy]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^AH00526: Syntax error on line \\d+ of ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\nip address '300.0.0.1' appears to be invalid\n$`));
  });

  it('refuses to start Apache on a broken httpd.conf and starts it on a good one', async () => {
    const info = await sandbox('10.1.0');
    const conf = path.join(info.root, '/opt/zimbra/conf/httpd.conf');
    const good = readFileSync(conf, 'utf8');
    writeFileSync(conf, `${good}<Directory "/x">\n`);
    await run(info, 'apachectl', ['-k', 'stop']);
    expect((await run(info, 'apachectl', ['-k', 'start'])).exitCode).toBe(1);
    expect((await readServices(info.root)).apache).toBe(false);
    writeFileSync(conf, good);
    expect((await run(info, 'apachectl', ['-k', 'start'])).exitCode).toBe(0);
    expect((await readServices(info.root)).apache).toBe(true);
  });

  it('writes the sender login map on 8.5+ only', async () => {
    expect(existsSync(path.join((await sandbox('8.6.0')).root, '/opt/zimbra/conf/ldap-slm.cf'))).toBe(true);
    expect(existsSync(path.join((await sandbox('8.0.9')).root, '/opt/zimbra/conf/ldap-slm.cf'))).toBe(false);
  });
});

describe("Zimbra's apachectl -t follows Include as httpd does", () => {
  it('missing files, empty wildcards, errors inside an included file; IncludeOptional tolerates what is missing', async () => {
    const info = await sandbox('8.8.15', { webui: true });
    const conf = path.join(info.root, '/opt/zimbra/conf/httpd.conf');
    const stock = readFileSync(conf, 'utf8');
    const lines = stock.split('\n').length;
    const check = async (extra: string) => {
      writeFileSync(conf, `${stock}${extra}\n`);
      return run(info, 'apachectl', ['-t']);
    };
    expect(await check('Include /opt/zimbra/conf/missing.conf')).toMatchObject({
      exitCode: 1,
      stderr: `httpd: Syntax error on line ${lines} of /opt/zimbra/conf/httpd.conf: Could not open configuration file /opt/zimbra/conf/missing.conf: No such file or directory\n`,
    });
    expect(await check('IncludeOptional /opt/zimbra/conf/missing.conf')).toMatchObject({ exitCode: 0 });
    expect(await check('IncludeOptional conf/none/*.conf')).toMatchObject({ exitCode: 0 });
    expect((await check('Include conf/none/*.conf')).stderr).toBe(
      `httpd: Syntax error on line ${lines} of /opt/zimbra/conf/httpd.conf: Include/IncludeOptional: Could not open directory /opt/zimbra/data/httpd/conf/none: No such file or directory\n`,
    );
    const extra = path.join(info.root, '/opt/zimbra/conf/extra');
    mkdirSync(extra, { recursive: true });
    expect((await check('Include /opt/zimbra/conf/extra/*.conf')).stderr).toMatch(/No matches for the wildcard '\*\.conf' in '\/opt\/zimbra\/conf\/extra', failing/);
    writeFileSync(path.join(extra, 'webui.conf'), '<Location "/webui">\n    Bogus on\n</Location>\n');
    expect(await check('Include /opt/zimbra/conf/extra/*.conf')).toMatchObject({
      exitCode: 1,
      stderr: "AH00526: Syntax error on line 2 of /opt/zimbra/conf/extra/webui.conf:\nInvalid command 'Bogus', perhaps misspelled or defined by a module not included in the server configuration\n",
    });
    writeFileSync(path.join(extra, 'webui.conf'), '<Location "/webui">\n    Require all granted\n</Location>\n');
    expect(await check('Include /opt/zimbra/conf/extra/*.conf')).toMatchObject({ exitCode: 0, stderr: 'Syntax OK\n' });
  });
});

describe('a tool run as zimbra reads only what zimbra could read on a server', () => {
  const APACHECTL = '/opt/zimbra/common/bin/apachectl';
  const PHP = '/opt/zimbra/common/bin/php';

  it('apachectl -t: not a file in a folder only root may enter, nor an included file only root may read', async () => {
    const info = await sandbox('8.8.15');
    const host = new RealHost(info.root);
    const conf = path.join(info.root, '/opt/zimbra/conf/httpd.conf');
    const stock = readFileSync(conf, 'utf8');
    // The sandbox's parent folder is a private temporary one (0700), like a scratch folder of root's.
    const scratch = path.join(path.dirname(info.root), 'httpd.conf');
    writeFileSync(scratch, stock);
    expect(await host.exec(APACHECTL, ['-t', '-f', scratch], { user: 'zimbra' })).toMatchObject({ exitCode: 1, stderr: `httpd: Could not open configuration file ${scratch}: Permission denied\n` });
    expect(await host.exec(APACHECTL, ['-t', '-f', scratch])).toMatchObject({ exitCode: 0, stderr: 'Syntax OK\n' });
    expect(await host.exec(APACHECTL, ['-t'], { user: 'zimbra' })).toMatchObject({ exitCode: 0, stderr: 'Syntax OK\n' });

    writeFileSync(path.join(info.root, '/opt/zimbra/conf/private.conf'), 'ServerName mail.example.com\n', { mode: 0o600 });
    writeFileSync(conf, `${stock}Include /opt/zimbra/conf/private.conf\n`);
    const line = stock.split('\n').length;
    expect(await host.exec(APACHECTL, ['-t'], { user: 'zimbra' })).toMatchObject({
      exitCode: 1,
      stderr: `httpd: Syntax error on line ${line} of /opt/zimbra/conf/httpd.conf: Could not open configuration file /opt/zimbra/conf/private.conf: Permission denied\n`,
    });
    mkdirSync(path.join(info.root, '/opt/zimbra/conf/locked'), { mode: 0o700 });
    writeFileSync(path.join(info.root, '/opt/zimbra/conf/locked/a.conf'), 'ServerName mail.example.com\n');
    // httpd cannot tell a file behind a folder it may not search from a missing one: IncludeOptional skips it.
    writeFileSync(conf, `${stock}IncludeOptional /opt/zimbra/conf/locked/a.conf\n`);
    expect(await host.exec(APACHECTL, ['-t'], { user: 'zimbra' })).toMatchObject({ exitCode: 0 });
    writeFileSync(conf, `${stock}IncludeOptional /opt/zimbra/conf/locked/*.conf\n`);
    expect((await host.exec(APACHECTL, ['-t'], { user: 'zimbra' })).stderr).toBe(
      `httpd: Syntax error on line ${line} of /opt/zimbra/conf/httpd.conf: Include/IncludeOptional: Could not open directory /opt/zimbra/conf/locked: Permission denied\n`,
    );
    expect(await host.exec(APACHECTL, ['-t'])).toMatchObject({ exitCode: 0 });
  });

  it.runIf(process.getuid?.() === 0)("reads a root-only file that zimbra owns (localconfig's zimbra_uid)", async () => {
    const info = await sandbox('8.8.15');
    const own = path.join(info.root, '/opt/zimbra/conf/own.conf');
    writeFileSync(own, 'ServerName mail.example.com\n', { mode: 0o600 });
    const host = new RealHost(info.root);
    expect((await host.exec(APACHECTL, ['-t', '-f', '/opt/zimbra/conf/own.conf'], { user: 'zimbra' })).exitCode).toBe(1);
    chownSync(own, 1001, 1001);
    expect(await host.exec(APACHECTL, ['-t', '-f', '/opt/zimbra/conf/own.conf'], { user: 'zimbra' })).toMatchObject({ exitCode: 0, stderr: 'Syntax OK\n' });
  });

  it('php: not a script only root may read', async () => {
    const info = await sandbox('8.8.15');
    const host = new RealHost(info.root);
    const script = path.join(info.root, 'check.php');
    writeFileSync(script, '<?php echo 1;\n');
    chmodSync(script, 0o600);
    expect(await host.exec(PHP, ['-l', script], { user: 'zimbra' })).toMatchObject({ exitCode: 1, stdout: `Could not open input file: ${script}\n` });
    expect((await host.exec(PHP, ['-l', script])).stdout).toMatch(/^No syntax errors detected/);
    chmodSync(script, 0o644);
    expect((await host.exec(PHP, ['-l', script], { user: 'zimbra' })).stdout).toMatch(/^No syntax errors detected/);
  });
});
