import { describe, expect, it } from 'vitest';
import { BEGIN, END, openListeners, patchBlock, readHttpdConf, renderBlock } from '../../src/apache/httpd-conf.js';
import { isIpOrCidr } from '../../src/core/cidr.js';
import { checkApacheConfig } from '../../src/simulation/sandbox/apache-check.js';
import { apacheVersion, httpdConfFor } from '../../src/simulation/sandbox/apache-layout.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import { allowList } from '../../src/controls/webui-exposure.js';

const DIRS = ['/opt/zimbra/data/httpd/htdocs/webui', '/opt/zimbra/common/share/webui'];

describe('the managed web UI block in httpd.conf', () => {
  it.each(['7.2.7', '8.6.0', '8.8.15', '10.1.0'] as const)('ZCS %s: appended once, accepted by apachectl, unchanged on a second run', (version) => {
    const profile = versionProfile(version);
    const original = httpdConfFor(profile);
    const facts = readHttpdConf(original);
    expect(facts.listen).toEqual(['7780']);
    expect(openListeners(facts.listen)).toEqual(['7780']);
    expect(facts.syntax).toBe(apacheVersion(profile));
    const block = renderBlock({ syntax: facts.syntax!, allow: allowList(['192.0.2.0/24']), directories: DIRS });
    const first = patchBlock(original, block);
    expect(first).toMatchObject({ ok: true, changed: true, present: false });
    if (!first.ok) return;
    expect(first.content.startsWith(original)).toBe(true);
    expect(checkApacheConfig(first.content, apacheVersion(profile))).toBeUndefined();
    expect(patchBlock(first.content, block)).toEqual({ ok: true, content: first.content, changed: false, present: true });
  });

  it('uses Require ip on Apache 2.4 and Order/Deny/Allow on 2.2, loopback always first', () => {
    const lines = renderBlock({ syntax: '2.4', allow: allowList(['10.1.0.0/16', '127.0.0.1']), directories: DIRS.slice(0, 1) }).split('\n');
    expect(lines[0]).toBe(BEGIN);
    expect(lines.at(-1)).toBe(END);
    expect(lines.filter((l) => !l.startsWith('#'))).toEqual([
      '<Directory "/opt/zimbra/data/httpd/htdocs/webui">',
      '    Require ip 127.0.0.1 ::1 10.1.0.0/16',
      '</Directory>',
      '<Location "/webui">',
      '    Require ip 127.0.0.1 ::1 10.1.0.0/16',
      '</Location>',
    ]);
    const old = renderBlock({ syntax: '2.2', allow: allowList(undefined), directories: DIRS.slice(0, 1) });
    expect(old).toContain('    Order deny,allow\n    Deny from all\n    Allow from 127.0.0.1 ::1');
    expect(old).not.toContain('Require');
  });

  it('replaces only what is between the markers when the allowed networks change', () => {
    const before = `Listen 7780\n\n${renderBlock({ syntax: '2.4', allow: allowList(['10.0.0.0/8']), directories: DIRS })}\n# admin's own line\n`;
    const after = patchBlock(before, renderBlock({ syntax: '2.4', allow: allowList([]), directories: DIRS }));
    expect(after.ok && after.changed).toBe(true);
    if (!after.ok) return;
    expect(after.content).not.toContain('10.0.0.0/8');
    expect(after.content.startsWith('Listen 7780\n\n# BEGIN')).toBe(true);
    expect(after.content.endsWith("# END zimbra-harden webui\n# admin's own line\n")).toBe(true);
  });

  it('refuses damaged markers', () => {
    expect(patchBlock(`${BEGIN}\nRequire all granted\n`, 'x')).toEqual({ ok: false, reason: expect.stringContaining('markers are damaged') });
    expect(patchBlock(`${END}\n${BEGIN}\n`, 'x').ok).toBe(false);
  });

  it('finds the docroot, aliases and listeners', () => {
    const facts = readHttpdConf('DocumentRoot "/srv/htdocs/"\nListen 127.0.0.1:7780\nListen [::1]:7780\nAlias /webui "/opt/zimbra/common/share/webui"\n#Alias /webui /old\n');
    expect(facts).toEqual({ documentRoot: '/srv/htdocs', listen: ['127.0.0.1:7780', '[::1]:7780'], webuiAliases: ['/opt/zimbra/common/share/webui'], syntax: undefined });
    expect(openListeners(facts.listen)).toEqual([]);
  });
});

describe("the simulated apachectl's syntax check", () => {
  const conf = httpdConfFor(versionProfile('8.8.15'));

  it.each([
    [`${conf}<Location "/webui">\n    Require ip 127.0.0.1 999.1.1.1\n</Location>\n`, /ip address '999\.1\.1\.1' appears to be invalid/],
    [`${conf}<Location "/webui">\n    Require ip 10.0.0.0/24\n`, /<Location "\/webui"> was not closed/],
    [`${conf}<Location "/webui">\n</Directory>\n`, /Expected <\/Location> but saw <\/Directory>/],
    [`${conf}Requir ip 127.0.0.1\n`, /Invalid command 'Requir', perhaps misspelled/],
    [`${conf}</Location>\n`, /<\/Location> without matching <Location> section/],
  ])('rejects broken configuration %#', (text, message) => {
    expect(checkApacheConfig(text, '2.4')?.message).toMatch(message);
  });

  it('rejects Require ip on Apache 2.2', () => {
    expect(checkApacheConfig(`${httpdConfFor(versionProfile('8.6.0'))}<Location "/webui">\nRequire ip 127.0.0.1\n</Location>\n`, '2.2')?.message).toBe('Unknown Authz provider: ip');
  });
});

describe('addresses for --webui-allow', () => {
  it.each(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', '::1'])('accepts %s', (v) => expect(isIpOrCidr(v)).toBe(true));
  it.each(['10.0.0.0/33', 'example.com', '10.0.0.0/8 all', '1.2.3', '10.0.0.0/8\nRequire all granted', ''])('refuses %j', (v) => expect(isIpOrCidr(v)).toBe(false));
});
