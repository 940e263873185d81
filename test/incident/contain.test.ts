import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalls } from '../../src/simulation/sandbox/calls.js';
import { listMessages } from '../../src/simulation/sandbox/queue/store.js';
import { readLdap, writeLdap } from '../../src/simulation/sandbox/state.js';
import { cli, fingerprint } from '../helpers/sandbox.js';
import { events, incidentSandbox } from './helpers.js';

/** Does the simulated directory's salted hash ({SSHA512}/{SSHA}) match this password? */
function hashMatches(stored: string, password: string): boolean {
  const m = /^\{(SSHA512|SSHA)\}(.+)$/.exec(stored)!;
  const bytes = Buffer.from(m[2]!, 'base64');
  const salt = bytes.subarray(bytes.length - 8);
  const digest = createHash(m[1] === 'SSHA512' ? 'sha512' : 'sha1').update(password).update(salt).digest();
  return digest.equals(bytes.subarray(0, bytes.length - 8));
}

const queueOf = (root: string) => Object.fromEntries(listMessages(root).map((m) => [m.id, m.queue]));

describe('contain and release', () => {
  it('round trip: locked, new password, sessions ended, its queued mail held (and nobody else’s), MTA restarted; release unlocks and frees only its own mail', async () => {
    const box = await incidentSandbox('8.8.15', { account: 'carol@a.example' });
    const incident = box.incident!;
    const before = (await readLdap(box.root)).accounts['carol@a.example']!;
    await mkdir(join(box.root, 'root'));
    const r = await cli(['--root', box.root, 'contain', 'carol@a.example', '--ip', incident.publicIp, '--yes', '--password-file', '/root/carol.pw']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);

    const after = (await readLdap(box.root)).accounts['carol@a.example']!;
    expect(after.zimbraAccountStatus).toEqual(['locked']);
    expect(after.zimbraAuthTokenValidityValue).toEqual(['1']);
    expect(after.userPassword).not.toEqual(before.userPassword);
    const password = (await readFile(join(box.root, 'root/carol.pw'), 'utf8')).trim();
    expect(r.stdout).not.toContain(password);
    expect(hashMatches(after.userPassword![0]!, password)).toBe(true);

    const queue = queueOf(box.root);
    for (const id of [...incident.spamIds, ...incident.ownIds]) expect(queue[id]).toBe('hold');
    for (const id of incident.otherIds) expect(queue[id]).toBe('deferred');

    const calls = await readCalls(box.root);
    expect(calls.filter((c) => c.tool === 'zmprov')).toHaveLength(2); // one read batch, one write batch
    const writes = calls.filter((c) => c.tool === 'zmprov').at(-1)!.stdin!;
    expect(writes).toEqual(['ma carol@a.example zimbraAccountStatus locked', 'sp carol@a.example ********', 'ma carol@a.example zimbraAuthTokenValidityValue 1', 'exit']);
    expect(JSON.stringify(calls)).not.toContain(password);
    expect(calls.find((c) => c.tool === 'postsuper')).toMatchObject({ argv: ['-h', '-'] });
    expect(calls.filter((c) => c.argv.includes('restart')).map((c) => c.tool)).toEqual(['zmmtactl']);
    expect(r.stdout).toContain('verified queue: nothing of carol@a.example is waiting to leave (17 on hold)');
    expect(r.stdout).toContain(`Subject: Delisting request for ${incident.publicIp} (mail.a.example)`);
    expect(r.stdout).toContain('- held the 17 messages it still had in our queue: they will not be delivered;');
    expect(r.stdout).toMatch(/used our server to relay mail with forged sender addresses/);
    expect(r.stdout).toMatch(/Applied: ok=1 changed=5 skipped=0 failed=0/);

    const back = await cli(['--root', box.root, 'release', 'carol@a.example', '--yes']);
    expect(back.exitCode).toBe(0);
    expect(back.stdout).toContain('the password stays the one contain set');
    expect(back.stdout).toMatch(/16 held messages traced to its logins with other senders .* stay on hold; --delete-forged deletes them/);
    const released = (await readLdap(box.root)).accounts['carol@a.example']!;
    expect(released.zimbraAccountStatus).toEqual(['active']);
    expect(released.userPassword).toEqual(after.userPassword);
    const queue2 = queueOf(box.root);
    for (const id of incident.ownIds) expect(queue2[id]).toBe('deferred');
    for (const id of incident.spamIds) expect(queue2[id]).toBe('hold');

    const purge = await cli(['--root', box.root, 'release', 'carol@a.example', '--delete-forged', '--yes']);
    expect(purge.exitCode).toBe(0);
    const queue3 = queueOf(box.root);
    for (const id of incident.spamIds) expect(queue3[id]).toBeUndefined();
    expect(Object.keys(queue3).sort()).toEqual([...incident.ownIds, ...incident.otherIds].sort());
  });

  it('--json with --password-file: JSON lines without the password, the file root-only; --remove-forwarding, --delete-queued', async () => {
    const box = await incidentSandbox('10.1.0', { account: 'carol@a.example' });
    const ldap = await readLdap(box.root);
    ldap.accounts['carol@a.example']!.zimbraPrefMailForwardingAddress = ['drop@evil.example'];
    ldap.accounts['carol@a.example']!.zimbraPrefMailLocalDeliveryDisabled = ['TRUE'];
    await writeLdap(box.root, ldap);
    await mkdir(join(box.root, 'root'));

    const noFile = await cli(['--root', box.root, '--json', 'contain', 'carol@a.example']);
    expect(noFile.exitCode).toBe(64);
    expect(noFile.stderr).toMatch(/--json needs --password-file/);

    const r = await cli(['--root', box.root, '--json', 'contain', 'carol@a.example', '--password-file', '/root/carol.pw', '--remove-forwarding', '--delete-queued', '--yes']);
    expect(r.exitCode).toBe(0);
    const lines = events(r.stdout);
    expect(lines[0]).toMatchObject({ type: 'version' });
    const planned = lines.filter((l) => l.type === 'planned_change');
    expect(planned.map((l) => [l.id, l.status])).toEqual([
      ['lock', 'change'],
      ['password', 'change'],
      ['sessions', 'change'],
      ['forwarding', 'change'],
      ['queued-mail', 'change'],
      ['restart', 'change'],
    ]);
    expect(lines.find((l) => l.type === 'password')).toEqual({ type: 'password', account: 'carol@a.example', file: '/root/carol.pw' });
    expect(lines.find((l) => l.type === 'delisting_request')?.text).toMatch(/- removed a forwarding address that had been set on it;\n- deleted the 17 messages/);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', changed: 6, failed: 0 });

    const file = join(box.root, 'root/carol.pw');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const password = (await readFile(file, 'utf8')).trim();
    expect(password).toHaveLength(20);
    expect(r.stdout).not.toContain(password);
    const carol = (await readLdap(box.root)).accounts['carol@a.example']!;
    expect(hashMatches(carol.userPassword![0]!, password)).toBe(true);
    expect(carol.zimbraPrefMailForwardingAddress).toBeUndefined();
    expect(carol.zimbraPrefMailLocalDeliveryDisabled).toEqual(['FALSE']);
    expect(Object.keys(queueOf(box.root))).toEqual(box.incident!.otherIds);

    const again = await cli(['--root', box.root, 'contain', 'carol@a.example', '--password-file', '/root/carol.pw']);
    expect(again.exitCode).toBe(64);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('an account that does not exist: one clear error, nothing changed', async () => {
    const box = await incidentSandbox('8.8.15', { account: 'carol@a.example' });
    const before = await fingerprint(box.root);
    const r = await cli(['--root', box.root, 'contain', 'nobody@a.example', '--yes', '--password-file', '/opt/zimbra/data/tmp/new.pw']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('zimbra-harden: account nobody@a.example does not exist (zmprov: ERROR: account.NO_SUCH_ACCOUNT (no such account: nobody@a.example)); nothing was changed');
    expect(r.stdout).toBe('');
    expect(await fingerprint(box.root)).toEqual(before);
    const calls = await readCalls(box.root);
    expect(calls.map((c) => c.tool)).toEqual(['zmcontrol', 'zmprov']);
    expect(await cli(['--root', box.root, 'contain', 'not an account'])).toMatchObject({ exitCode: 64 });
  });

  it('an account with nothing queued: the plan says so, the rest still applies', async () => {
    const box = await incidentSandbox('7.2.7', { account: 'carol@a.example' });
    const queued = queueOf(box.root);
    const r = await cli(['--root', box.root, 'contain', 'dave@b.example', '--yes', '--password-file', '/opt/zimbra/data/tmp/new.pw']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/ok {5}queued-mail {2}dave@b\.example\n\s+nothing of it is queued \(18 messages in the queue, none sent as it or traced to its logins\)/);
    expect((await readLdap(box.root)).accounts['dave@b.example']!.zimbraAccountStatus).toEqual(['locked']);
    expect(queueOf(box.root)).toEqual(queued);
    expect((await readCalls(box.root)).filter((c) => c.tool === 'postsuper')).toEqual([]);
    expect(r.stdout).toMatch(/Applied: ok=2 changed=4 skipped=0 failed=0/);
    expect(r.stdout).toContain('Subject: Delisting request for [the server’s public IP address] (mail.a.example)');
    expect(r.stdout).not.toContain('messages it still had in our queue');
  });

  it('a queue that cannot be read does not stop the lock: the plan says so and the rest applies', async () => {
    const box = await incidentSandbox('8.8.15', { account: 'carol@a.example' });
    await rm(join(box.root, 'opt/zimbra/common/sbin/postqueue'));
    const r = await cli(['--root', box.root, 'contain', 'carol@a.example', '--yes', '--password-file', '/opt/zimbra/data/tmp/new.pw']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/skip {3}queued-mail {2}carol@a\.example\n\s+cannot run \/opt\/zimbra\/common\/sbin\/postqueue.*hold its mail by hand/);
    expect((await readLdap(box.root)).accounts['carol@a.example']!.zimbraAccountStatus).toEqual(['locked']);
    expect(r.stdout).toMatch(/Applied: ok=1 changed=4 skipped=1 failed=0/);
  });
});
