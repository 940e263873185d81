/**
 * The audit's judgement of who may open /webui, checked against a real Apache 2.4 (Debian's
 * apache2) on 127.0.0.1: 127.0.0.1 is loopback (allowed), 127.0.0.2 stands for an outside address.
 */
import { execa, type ResultPromise } from 'execa';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { renderBlock } from '../../src/apache/httpd-conf.js';
import { includeLoader } from '../../src/apache/include-files.js';
import { effectiveAccess } from '../../src/apache/effective-access.js';
import { readSections } from '../../src/apache/sections.js';
import { RealHost } from '../../src/host/real-host.js';

/** Debian's apache2 and its modules (installed by .ci/run). */
const APACHE = '/usr/sbin/apache2';
const MODULES = ['mpm_prefork', 'authz_core', 'authz_host', 'access_compat', 'alias', 'dir'];
const OUTSIDE = '127.0.0.2';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

function status(port: number, path: string, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, localAddress: from, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

interface Site {
  dir: string;
  docroot: string;
  conf: string;
}

/** A server root with the web UI in the docroot and httpd.conf = base + `sections` (DOCROOT and ROOT replaced). */
async function site(sections: string, files: Record<string, string> = {}): Promise<Site & { port: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'zh-apache-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await chmod(dir, 0o755);
  const docroot = join(dir, 'htdocs');
  await mkdir(join(docroot, 'webui'), { recursive: true });
  await writeFile(join(docroot, 'webui/index.html'), 'web UI\n');
  const port = await freePort();
  const fill = (s: string) => s.replaceAll('DOCROOT', docroot).replaceAll('ROOT', dir).replaceAll('PORT', String(port));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), fill(content));
  }
  const asRoot = process.getuid?.() === 0;
  const conf = [
    `ServerRoot "${dir}"`,
    `PidFile ${dir}/httpd.pid`,
    `DefaultRuntimeDir ${dir}`,
    'ServerName localhost',
    `Listen 127.0.0.1:${port}`,
    ...MODULES.map((m) => `LoadModule ${m}_module /usr/lib/apache2/modules/mod_${m}.so`),
    ...(asRoot ? ['User www-data', 'Group www-data'] : []),
    `ErrorLog ${dir}/error.log`,
    `DocumentRoot "${docroot}"`,
    `<Directory "${docroot}">`,
    '    Require all granted',
    '</Directory>',
    fill(sections),
    '',
  ].join('\n');
  await writeFile(join(dir, 'httpd.conf'), conf);
  return { dir, docroot, conf, port };
}

async function start(s: Site & { port: number }): Promise<void> {
  const apache: ResultPromise = execa(APACHE, ['-X', '-f', join(s.dir, 'httpd.conf')], { reject: false });
  onTestFinished(async () => {
    apache.kill('SIGTERM');
    await apache;
  });
  for (let i = 0; i < 100 && !(await reachable(s.port)); i++) {
    if (apache.exitCode !== null) throw new Error(`apache2 exited: ${(await apache).stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const BLOCK = (docroot: string) => renderBlock({ syntax: '2.4', allow: ['127.0.0.1', '::1'], directories: [`${docroot}/webui`] });

/** Each case: the sections around the managed block, and the files they include. */
const CASES: [string, string, Record<string, string>?][] = [
  ['the managed block alone', 'BLOCK'],
  ['a later <Location "/webui"> Require all granted', 'BLOCK\n<Location "/webui">\n    Require all granted\n</Location>'],
  ['a later <Location "/"> Require all granted', 'BLOCK\n<Location "/">\n    Require all granted\n</Location>'],
  ['a later <LocationMatch "^/web"> Require all granted', 'BLOCK\n<LocationMatch "^/web">\n    Require all granted\n</LocationMatch>'],
  ['a later <Location "/web*"> (a wildcard does not cross a slash)', 'BLOCK\n<Location "/web*">\n    Require all granted\n</Location>'],
  ['a later <Location "/*/index.html">', 'BLOCK\n<Location "/*/index.html">\n    Require all granted\n</Location>'],
  ['a later <Location ~ "index">', 'BLOCK\n<Location ~ "index">\n    Require all granted\n</Location>'],
  ['a later <Location "/webuiother">, which does not cover /webui', 'BLOCK\n<Location "/webuiother">\n    Require all granted\n</Location>'],
  ['an earlier <Location "/webui"> Require all granted', '<Location "/webui">\n    Require all granted\n</Location>\nBLOCK'],
  ['a later <Directory> of the web UI (Location wins over Directory)', 'BLOCK\n<Directory "DOCROOT/webui">\n    Require all granted\n</Directory>'],
  ['a later <Files> (Location wins over Files)', 'BLOCK\n<Files "index.html">\n    Require all granted\n</Files>'],
  ['a later <Location> with AuthMerging Or', 'BLOCK\n<Location "/webui">\n    AuthMerging Or\n    Require all granted\n</Location>'],
  ['a later <Location> with Order/Allow from all only (Require still applies)', 'BLOCK\n<Location "/webui">\n    Order allow,deny\n    Allow from all\n</Location>'],
  ['a later <Location> with Allow from all and Satisfy Any', 'BLOCK\n<Location "/webui">\n    Order allow,deny\n    Allow from all\n    Satisfy Any\n</Location>'],
  ['a later <Location> with Deny from all (mod_access_compat)', 'BLOCK\n<Location "/webui">\n    Order deny,allow\n    Deny from all\n</Location>'],
  ['a virtual host before the block re-granting it (virtual hosts merge last)', '<VirtualHost 127.0.0.1:PORT>\n<Location "/webui">\n    Require all granted\n</Location>\n</VirtualHost>\nBLOCK'],
  ['an Include after the block re-granting it', 'BLOCK\nInclude conf/extra/*.conf', { 'conf/extra/webui.conf': '<Location "/webui">\n    Require all granted\n</Location>\n' }],
  ['an IncludeOptional of a missing file', 'BLOCK\nIncludeOptional conf/none/*.conf'],
  ['a later <RequireAny> of ip and all granted', 'BLOCK\n<Location "/webui">\n    <RequireAny>\n        Require ip 127.0.0.1\n        Require all granted\n    </RequireAny>\n</Location>'],
  ['a later <RequireAll> that excludes the outside address', 'BLOCK\n<Location "/webui">\n    <RequireAll>\n        Require all granted\n        Require not ip 127.0.0.2\n    </RequireAll>\n</Location>'],
  ['a later Require ip of a partial address 127.0', 'BLOCK\n<Location "/webui">\n    Require ip 127.0\n</Location>'],
];

describe('who may open /webui: the audit agrees with a real Apache 2.4', () => {
  it.each(CASES)('%s', async (_name, sections, files) => {
    const s = await site(sections.replace('BLOCK', BLOCK('DOCROOT')), files);
    await start(s);
    const parsed = await readSections({ path: join(s.dir, 'httpd.conf'), content: s.conf }, includeLoader(new RealHost('/')), s.dir);
    const req = { uri: '/webui/index.html', file: join(s.docroot, 'webui/index.html') };
    for (const client of ['127.0.0.1', OUTSIDE]) {
      const served = await status(s.port, req.uri, client);
      expect([200, 403], `Apache answered ${served}`).toContain(served);
      expect(effectiveAccess(parsed, req, client).verdict, `${client}: Apache answered ${served}`).toBe(served === 200 ? 'granted' : 'denied');
    }
  });
});
