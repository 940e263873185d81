import { describe, expect, it } from 'vitest';
import { effectiveAccess } from '../../src/apache/effective-access.js';
import { readSections } from '../../src/apache/sections.js';
import { outsideProbes } from '../../src/apache/webui-access.js';

const REQUEST = { uri: '/webui/index.php', file: '/opt/zimbra/httpd/htdocs/webui/index.php' };
const noIncludes = async () => [];

async function verdict(conf: string, client: string) {
  const sections = await readSections({ path: '/opt/zimbra/conf/httpd.conf', content: conf }, noIncludes, '/opt/zimbra/httpd');
  return effectiveAccess(sections, REQUEST, client).verdict;
}

const BLOCK_22 = '<Location "/webui">\n    Order deny,allow\n    Deny from all\n    Allow from 127.0.0.1 ::1 10.1 192.0.2.0/255.255.255.0\n</Location>';

describe('Apache 2.2 access rules (Order/Allow/Deny, Satisfy)', () => {
  it('the managed block lets in loopback and the admin networks (partial addresses, netmasks) only', async () => {
    expect(await verdict(BLOCK_22, '127.0.0.1')).toBe('granted');
    expect(await verdict(BLOCK_22, '10.1.200.3')).toBe('granted');
    expect(await verdict(BLOCK_22, '192.0.2.77')).toBe('granted');
    expect(await verdict(BLOCK_22, '203.0.113.7')).toBe('denied');
  });

  it('the last section that sets Order/Allow/Deny decides; one that sets none leaves them', async () => {
    expect(await verdict(`${BLOCK_22}\n<Location "/">\n    Order allow,deny\n    Allow from all\n</Location>`, '203.0.113.7')).toBe('granted');
    expect(await verdict(`${BLOCK_22}\n<Location "/webui">\n    Options None\n</Location>`, '203.0.113.7')).toBe('denied');
    expect(await verdict(`${BLOCK_22}\n<Location "/webui">\n    Order allow,deny\n    Allow from all\n    Deny from 203.0.113.0/24\n</Location>`, '203.0.113.7')).toBe('denied');
  });

  it('Satisfy Any with a login: an anonymous outsider is still refused; a Location outranks a Directory', async () => {
    expect(await verdict(`${BLOCK_22}\n<Location "/webui">\n    Require valid-user\n    Satisfy Any\n</Location>`, '203.0.113.7')).toBe('denied');
    expect(await verdict(`${BLOCK_22}\n<Directory "/opt/zimbra/httpd/htdocs/webui">\n    Order allow,deny\n    Allow from all\n</Directory>`, '203.0.113.7')).toBe('denied');
  });

  it('an <IfModule> of a module that is not loaded does not count; <IfDefine> never holds', async () => {
    expect(await verdict(`${BLOCK_22}\n<IfModule mod_nothing.c>\n<Location "/webui">\n    Allow from all\n</Location>\n</IfModule>`, '203.0.113.7')).toBe('denied');
    expect(await verdict(`${BLOCK_22}\n<IfModule !mod_nothing.c>\n<Location "/webui">\n    Allow from all\n</Location>\n</IfModule>`, '203.0.113.7')).toBe('granted');
    expect(await verdict(`${BLOCK_22}\n<IfDefine OPEN>\n<Location "/webui">\n    Allow from all\n</Location>\n</IfDefine>`, '203.0.113.7')).toBe('denied');
  });

  it('a rule on something other than the address cannot be judged', async () => {
    expect(await verdict(`${BLOCK_22}\n<Location "/webui">\n    Order deny,allow\n    Deny from all\n    Allow from env=let_me_in\n</Location>`, '203.0.113.7')).toBe('unknown');
  });
});

describe('the outside addresses asked about', () => {
  it('are outside every allowed network, one per family', () => {
    expect(outsideProbes(['127.0.0.1', '::1'])).toEqual(['203.0.113.7', '2001:db8:ffff::7']);
    expect(outsideProbes(['127.0.0.1', '203.0.113.0/24', '2001:db8::/32'])).toEqual(['198.51.100.7', '2606:4700::7']);
  });
});
