import { describe, expect, it } from 'vitest';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { cli, fingerprint } from '../helpers/sandbox.js';
import { startDnsServer, withTestEntries, type DnsAnswer } from './dns-server.js';
import { events, incidentSandbox } from './helpers.js';

const IP = '203.0.113.25';

/** Spamhaus lists the server (CSS), SpamCop does not, Barracuda refuses, PSBL never answers, Mailspike says Spamhaus-style "public resolver" (a listing for Mailspike). */
async function blocklistServer(hostA?: string[]) {
  const zones: Record<string, DnsAnswer> = {
    'zen.spamhaus.org': { a: ['127.0.0.3'], txt: `https://check.spamhaus.org/query/ip/${IP}` },
    'bl.spamcop.net': 'nxdomain',
    'b.barracudacentral.org': 'refused',
    'psbl.surriel.com': 'silent',
    'bl.mailspike.net': 'nxdomain',
  };
  return startDnsServer(
    withTestEntries((name) => {
      if (name === 'mail.a.example' && hostA) return { a: hostA };
      const zone = Object.keys(zones).find((z) => name === `25.113.0.203.${z}`);
      return zone ? zones[zone]! : 'nxdomain';
    }),
  );
}

describe('incident (triage)', () => {
  it('on a host in the middle of the incident: the stolen account first, its queued spam, the listings and how to get off them; changes nothing', async () => {
    const box = await incidentSandbox('8.8.15', { account: 'carol@a.example' });
    const dns = await blocklistServer();
    const before = await fingerprint(box.root);
    const r = await cli(['--root', box.root, 'incident', '--ip', IP, '--resolver', dns.address, '--dns-timeout', '1500']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(2);
    const out = r.stdout;
    expect(out).toMatch(/Suspects, most likely first\n 1\. carol@a\.example — relaying with forged senders/);
    expect(out).toContain('queued: 17 messages (16 traced to its logins, 1 sent as itself), 0 on hold');
    expect(out).toContain('→ zimbra-harden contain carol@a.example');
    expect(out).toMatch(/Mail queue: 18 messages \(\d+ KB\): active 2, deferred 16 \(postqueue -j\)/);
    expect(out).toContain('4 bounces (MAILER-DAEMON)');
    expect(out).toMatch(/\d+× 421 4\.7\.0 \[TSS04\] Messages from 203\.0\.113\.25 temporarily deferred/);
    expect(out).toMatch(/LISTED {6}Spamhaus ZEN \(zen\.spamhaus\.org\): CSS/);
    expect(out).toMatch(/not listed {2}SpamCop \(bl\.spamcop\.net\)/);
    expect(out).toMatch(/unknown {5}Barracuda Reputation Block List \(b\.barracudacentral\.org\): the resolver refused the query/);
    expect(out).toMatch(/unknown {5}Passive Spam Block List \(PSBL\) \(psbl\.surriel\.com\): no answer within 1500 ms/);
    expect(out).toContain('https://check.spamhaus.org/');
    expect(out).toContain('https://sender.office.com/');
    expect(out).not.toContain('https://www.spamcop.net/bl.shtml'); // not listed there: no checklist for it
    expect(await fingerprint(box.root)).toEqual(before);
    const calls = await readCalls(box.root);
    expect(calls.filter((c) => c.tool === 'zmprov')).toHaveLength(1);
    expect(calls.filter((c) => c.tool === 'postsuper')).toHaveLength(0);
  });

  it('--json: version line, suspects, queue, block lists, delisting steps, summary', async () => {
    const box = await incidentSandbox('10.1.0', { account: 'carol@a.example' });
    const dns = await blocklistServer();
    const r = await cli(['--root', box.root, '--json', 'incident', '--ip', IP, '--resolver', dns.address, '--dns-timeout', '1500']);
    expect(r.exitCode).toBe(2);
    const lines = events(r.stdout);
    expect(lines[0]).toMatchObject({ type: 'version', schema: '2.1' });
    expect(lines.find((l) => l.type === 'suspect')).toMatchObject({ rank: 1, account: 'carol@a.example', action: { argv: ['zimbra-harden', 'contain', 'carol@a.example'], description: 'zimbra-harden contain carol@a.example' }, queued: { messages: 17 } });
    expect(lines.find((l) => l.type === 'queue')).toMatchObject({ messages: 18, format: 'json', bounces: 4 });
    expect(lines.filter((l) => l.type === 'blocklist').map((l) => [l.zone, l.status])).toEqual([
      ['zen.spamhaus.org', 'listed'],
      ['bl.spamcop.net', 'not-listed'],
      ['b.barracudacentral.org', 'unknown'],
      ['psbl.surriel.com', 'unknown'],
      ['bl.mailspike.net', 'not-listed'],
    ]);
    expect(lines.filter((l) => l.type === 'delisting').map((l) => l.list)).toEqual(['Spamhaus ZEN', 'Microsoft']);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', mode: 'incident', suspects: 1, listed: 1, unknown: 2, queued: 18 });
  });

  it('reads the Postfix 2.x queue with postqueue -p (no -j before 3.1)', async () => {
    const box = await incidentSandbox('8.6.0', { account: 'carol@a.example' });
    const r = await cli(['--root', box.root, 'incident', '--no-blocklists']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/Mail queue: 18 messages \(\d+ KB\): active 2, deferred 16 \(postqueue -p\)/);
    expect(r.stdout).toContain('queued: 17 messages (16 traced to its logins, 1 sent as itself), 0 on hold');
    expect(r.stdout).toContain('Block lists: not checked (--no-blocklists)');
    const postqueue = (await readCalls(box.root)).filter((c) => c.tool === 'postqueue').map((c) => [c.argv.join(' '), c.exitCode]);
    expect(postqueue).toEqual([
      ['-j', 64],
      ['-p', 0],
    ]);
  });

  it('finds the public address from the A record of the server name, and says when it is private', async () => {
    const box = await incidentSandbox('8.8.15', false);
    const dns = await blocklistServer([IP]);
    // Spamhaus alone: the lists that never answer are the first case's subject, and each costs the whole timeout.
    const found = await cli(['--root', box.root, 'incident', '--resolver', dns.address, '--dns-timeout', '1500', '--blocklist', 'zen.spamhaus.org']);
    expect(found.stdout).toContain(`Block lists for ${IP} (A record of mail.a.example)`);
    expect(found.exitCode).toBe(2); // listed on Spamhaus, even with no suspect
    const natted = await blocklistServer(['10.0.0.5']);
    const hidden = await cli(['--root', box.root, 'incident', '--resolver', natted.address, '--dns-timeout', '1500']);
    expect(hidden.stdout).toMatch(/Block lists: not checked: only private addresses found \(10\.0\.0\.5\).*--ip/);
    expect(hidden.stdout).toContain('Suspects: none in the mail log over this window');
    expect(hidden.stdout).toContain('Mail queue: empty');
    expect(hidden.exitCode).toBe(0);
  });

  it('rejects bad flags before reading anything', async () => {
    const box = await incidentSandbox('8.8.15', false);
    expect(await cli(['--root', box.root, 'incident', '--since', 'yesterday-ish'])).toMatchObject({ exitCode: 64 });
    expect(await cli(['--root', box.root, 'incident', '--blocklist', 'not a zone'])).toMatchObject({ exitCode: 64 });
    expect(await cli(['--root', box.root, 'incident', '--ip', 'mail.a.example', '--resolver', '127.0.0.1:9'])).toMatchObject({ exitCode: 64 });
    expect(await readCalls(box.root)).toEqual([]);
  });
});
