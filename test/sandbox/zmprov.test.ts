import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from '../../src/simulation/sandbox/create.js';
import { readLdap } from '../../src/simulation/sandbox/state.js';
import { blockSandbox, run, sandbox } from './helpers.js';

describe('zmprov batch mode', () => {
  let info: SandboxInfo;
  beforeAll(async () => {
    const box = await blockSandbox('8.8.15');
    info = box.info;
    return box.remove;
  });

  it('prints the prompt before every line read, the final one included, and exits 0 at EOF even after an error', async () => {
    const r = await run(info, 'zmprov', [], 'gcf zimbraMtaRestriction\nga nobody@example.com\n');
    expect(r.stdout).toBe('prov> zimbraMtaRestriction: reject_invalid_helo_hostname\nzimbraMtaRestriction: reject_non_fqdn_sender\nprov> prov> ');
    expect(r.stderr).toBe('ERROR: account.NO_SUCH_ACCOUNT (no such account: nobody@example.com)\n');
    expect(r.exitCode).toBe(0);
  });

  it('exits 2 on `exit` after an error and keeps processing after it', async () => {
    const r = await run(info, 'zmprov', [], `ma nobody@example.com zimbraAccountStatus locked\nma alice@example.com zimbraAccountStatus locked\nexit\n`);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('prov> prov> prov> ');
    const ldap = await readLdap(info.root);
    expect(ldap.accounts['alice@example.com']?.zimbraAccountStatus).toEqual(['locked']);
  });

  it('exits 0 on `exit` when nothing failed, and `quit` is the same command', async () => {
    expect((await run(info, 'zmprov', [], 'gad\nexit\n')).exitCode).toBe(0);
    expect((await run(info, 'zmprov', [], 'gad\nquit\n')).exitCode).toBe(0);
  });

  it('reports unknown commands on stdout and usage errors without counting them as errors', async () => {
    const r = await run(info, 'zmprov', [], 'frobnicate\nsp alice@example.com\nexit\n');
    expect(r.stdout).toContain("prov> Unknown command. Type: 'help commands' for a list\n");
    expect(r.stdout).toContain('usage:  setPassword(sp) {name@domain|id} {password}\n');
    expect(r.exitCode).toBe(0);
  });

  it('reads commands from -f file and echoes lines with -v', async () => {
    const { writeFile } = await import('node:fs/promises');
    const file = `${info.root}/../cmds.zmp`;
    await writeFile(file, 'gad\n');
    const r = await run(info, 'zmprov', ['-v', '-f', file]);
    expect(r.stdout).toBe('prov> gad\nexample.com\nprov> ');
    expect(r.exitCode).toBe(0);
  });

  it('stops the whole batch with exit 2 when the safeguard fires', async () => {
    const r = await run(info, 'zmprov', [], `ms ${info.hostname} zimbraServiceEnabled cbpolicyd\ngad\n`);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error: cannot replace multi-valued attr value unless -r is specified\n');
    expect(r.stdout).toBe('prov> ');
  });
});

describe('zmprov single-command mode', () => {
  let info: SandboxInfo;
  beforeAll(async () => {
    const box = await blockSandbox('8.8.15');
    info = box.info;
    return box.remove;
  });

  it('exits 2 with ERROR: on service errors', async () => {
    const r = await run(info, 'zmprov', ['ga', 'ghost@example.com']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('ERROR: account.NO_SUCH_ACCOUNT (no such account: ghost@example.com)\n');
    const s = await run(info, 'zmprov', ['ms', 'nohost.example.com', 'zimbraMtaRestriction', 'x']);
    expect(s.stderr).toBe('ERROR: account.NO_SUCH_SERVER (no such server: nohost.example.com)\n');
    const d = await run(info, 'zmprov', ['gd', 'nodomain.test']);
    expect(d.stderr).toBe('ERROR: account.NO_SUCH_DOMAIN (no such domain: nodomain.test)\n');
  });

  it('exits 1 with the command usage on bad arguments, and 1 with the general usage on an unknown command', async () => {
    const r = await run(info, 'zmprov', ['ma', 'alice@example.com', 'zimbraAccountStatus']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('usage:  modifyAccount(ma) {name@domain|id} [attr1 value1 [attr2 value2...]]\n\nFor general help, type : zmprov --help\n');
    const u = await run(info, 'zmprov', ['frobnicate']);
    expect(u.exitCode).toBe(1);
    expect(u.stdout).toContain('zmprov [args] [cmd] [cmd-args ...]');
  });

  it('prints an entry as `# name`, sorted attributes, one line per value, then a blank line', async () => {
    await run(info, 'zmprov', ['ma', 'bob@example.com', 'zimbraMailCatchAllAddress', '@example.com']);
    const r = await run(info, 'zmprov', ['ga', 'bob@example.com', 'zimbraMailCatchAllAddress', 'zimbraAccountStatus', 'userPassword']);
    expect(r.stdout).toBe('# name bob@example.com\nzimbraAccountStatus: active\nzimbraMailCatchAllAddress: @example.com\n\n');
    expect(r.exitCode).toBe(0);
  });

  it('modify commands print nothing; + adds without duplicates, - removes, plain replaces, empty clears', async () => {
    const add = await run(info, 'zmprov', ['mcf', '+zimbraMtaRestriction', 'check_policy_service inet:127.0.0.1:10031']);
    expect(add).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    await run(info, 'zmprov', ['mcf', '+zimbraMtaRestriction', 'check_policy_service inet:127.0.0.1:10031']);
    let ldap = await readLdap(info.root);
    expect(ldap.config.zimbraMtaRestriction).toEqual(['reject_invalid_helo_hostname', 'reject_non_fqdn_sender', 'check_policy_service inet:127.0.0.1:10031']);
    await run(info, 'zmprov', ['mcf', '-zimbraMtaRestriction', 'reject_non_fqdn_sender']);
    ldap = await readLdap(info.root);
    expect(ldap.config.zimbraMtaRestriction).toEqual(['reject_invalid_helo_hostname', 'check_policy_service inet:127.0.0.1:10031']);
    await run(info, 'zmprov', ['mcf', 'zimbraMtaRestriction', 'a', 'zimbraMtaRestriction', 'b']);
    expect((await readLdap(info.root)).config.zimbraMtaRestriction).toEqual(['a', 'b']);
    await run(info, 'zmprov', ['mcf', 'zimbraMtaRestriction', '']);
    expect((await readLdap(info.root)).config.zimbraMtaRestriction).toBeUndefined();
    expect((await run(info, 'zmprov', ['gcf', 'zimbraMtaRestriction'])).stdout).toBe('');
  });

  it('rejects values that break the attribute regex or enum, and unknown attributes', async () => {
    const regex = await run(info, 'zmprov', ['ma', 'carol@example.com', 'zimbraMailCatchAllAddress', 'example.com']);
    expect(regex.exitCode).toBe(2);
    expect(regex.stderr).toBe('ERROR: account.INVALID_ATTR_VALUE (invalid attr value: zimbraMailCatchAllAddress must match the regex: ^@[A-Za-z0-9-\\.]+$)\n');
    const en = await run(info, 'zmprov', ['ma', 'carol@example.com', 'zimbraAccountStatus', 'lock']);
    expect(en.stderr).toBe('ERROR: account.INVALID_ATTR_VALUE (invalid attr value: zimbraAccountStatus must be one of: active,maintenance,locked,closed,lockout,pending)\n');
    const bool = await run(info, 'zmprov', ['mcf', 'zimbraCBPolicydQuotasEnabled', 'yes']);
    expect(bool.stderr).toContain('must be TRUE or FALSE');
    const name = await run(info, 'zmprov', ['ma', 'carol@example.com', 'zimbraNoSuchThing', 'x']);
    expect(name.stderr).toBe('ERROR: account.INVALID_ATTR_NAME (invalid attr name: zimbraNoSuchThing)\n');
    expect((await readLdap(info.root)).accounts['carol@example.com']?.zimbraAccountStatus).toEqual(['active']);
  });

  it('finds accounts by alias and by zimbraId', async () => {
    await run(info, 'zmprov', ['ma', 'dave@example.com', '+zimbraMailAlias', 'david@example.com']);
    await run(info, 'zmprov', ['ma', 'david@example.com', 'zimbraAccountStatus', 'maintenance']);
    const ldap = await readLdap(info.root);
    const dave = ldap.accounts['dave@example.com'];
    expect(dave?.zimbraAccountStatus).toEqual(['maintenance']);
    const byId = await run(info, 'zmprov', ['ga', dave?.zimbraId?.[0] as string, 'zimbraMailDeliveryAddress']);
    expect(byId.stdout).toBe('# name dave@example.com\nzimbraMailDeliveryAddress: dave@example.com\n\n');
  });

  it('ca prints the new zimbraId and refuses an existing address; sp stores a hash and prints nothing', async () => {
    const ca = await run(info, 'zmprov', ['ca', 'frank@example.com', 'secret123', 'displayName', 'Frank']);
    expect(ca.exitCode).toBe(0);
    expect(ca.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    const again = await run(info, 'zmprov', ['ca', 'frank@example.com', 'secret123']);
    expect(again.stderr).toBe('ERROR: account.ACCOUNT_EXISTS (email address already exists: frank@example.com)\n');
    const sp = await run(info, 'zmprov', ['sp', 'frank@example.com', 'n3w-Passw0rd']);
    expect(sp).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    const stored = (await readLdap(info.root)).accounts['frank@example.com']?.userPassword?.[0];
    expect(stored).toMatch(/^\{SSHA512\}/);
    expect(stored).not.toContain('n3w-Passw0rd');
    expect((await run(info, 'zmprov', ['ga', 'frank@example.com', 'userPassword'])).stdout).toContain('userPassword: VALUE-BLOCKED');
  });

  it('gs shows inherited global values, gs -e only the server entry', async () => {
    const inherited = await run(info, 'zmprov', ['gs', info.hostname, 'zimbraCBPolicydBindPort']);
    expect(inherited.stdout).toBe(`# name ${info.hostname}\nzimbraCBPolicydBindPort: 10031\n\n`);
    const own = await run(info, 'zmprov', ['gs', '-e', info.hostname, 'zimbraCBPolicydBindPort']);
    expect(own.stdout).toBe(`# name ${info.hostname}\n\n`);
  });

  it('gas filters by enabled service, gad and gaa list names one per line', async () => {
    expect((await run(info, 'zmprov', ['gas', 'mta'])).stdout).toBe(`${info.hostname}\n`);
    expect((await run(info, 'zmprov', ['gas', 'cbpolicyd'])).stdout).toBe('');
    expect((await run(info, 'zmprov', ['-l', 'gaa', 'example.com'])).stdout.split('\n')).toContain('alice@example.com');
    const verbose = await run(info, 'zmprov', ['gas', '-v', 'mta']);
    expect(verbose.stdout.startsWith(`# name ${info.hostname}\n`)).toBe(true);
  });
});

describe('zmprov per release', () => {
  it('8.0+: replacing zimbraServiceEnabled without +/- needs -r; with -r it replaces', async () => {
    const info = await sandbox('8.0.9');
    const refused = await run(info, 'zmprov', ['ms', info.hostname, 'zimbraServiceEnabled', 'cbpolicyd']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe('error: cannot replace multi-valued attr value unless -r is specified\n');
    expect((await readLdap(info.root)).servers[info.hostname]?.zimbraServiceEnabled).toContain('mta');
    const safe = await run(info, 'zmprov', ['ms', info.hostname, '+zimbraServiceInstalled', 'cbpolicyd', '+zimbraServiceEnabled', 'cbpolicyd']);
    expect(safe.exitCode).toBe(0);
    const replaced = await run(info, 'zmprov', ['-r', 'ms', info.hostname, 'zimbraServiceInstalled', 'mta']);
    expect(replaced.exitCode).toBe(0);
    expect((await readLdap(info.root)).servers[info.hostname]?.zimbraServiceInstalled).toEqual(['mta']);
  });

  it('7.x: a plain replace leaves cbpolicyd as the only enabled service', async () => {
    const info = await sandbox('7.2.7');
    const r = await run(info, 'zmprov', ['ms', info.hostname, 'zimbraServiceEnabled', 'cbpolicyd']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect((await readLdap(info.root)).servers[info.hostname]?.zimbraServiceEnabled).toEqual(['cbpolicyd']);
  });

  it('attributes newer than the release are invalid names (since 8.5.0)', async () => {
    const old = await sandbox('8.0.9');
    for (const attr of ['zimbraCBPolicydBindPort', 'zimbraMtaSmtpdSenderRestrictions', 'zimbraMtaSmtpdSenderLoginMaps']) {
      const r = await run(old, 'zmprov', ['mcf', attr, attr === 'zimbraCBPolicydBindPort' ? '10031' : 'reject_authenticated_sender_login_mismatch']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(`ERROR: account.INVALID_ATTR_NAME (invalid attr name: ${attr})\n`);
    }
    expect((await run(old, 'zmprov', ['gcf', 'zimbraCBPolicydBindPort'])).stdout).toBe('');
    const modern = await sandbox('8.6.0');
    const ok = await run(modern, 'zmprov', ['mcf', 'zimbraMtaSmtpdSenderRestrictions', 'reject_authenticated_sender_login_mismatch']);
    expect(ok.exitCode).toBe(0);
    expect((await run(modern, 'zmprov', ['gcf', 'zimbraMtaSmtpdSenderRestrictions'])).stdout).toBe(
      'zimbraMtaSmtpdSenderRestrictions: reject_authenticated_sender_login_mismatch\n',
    );
  });

  it('option errors: -l with -s exits 2', async () => {
    const info = await sandbox('10.1.0');
    const r = await run(info, 'zmprov', ['-l', '-s', 'localhost', 'gad']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error: cannot specify both -l and -s at the same time\n');
  });
});

describe('zmprov concurrency', () => {
  it('parallel modifications do not lose each other', async () => {
    const info = await sandbox('8.8.15');
    const values = Array.from({ length: 8 }, (_, i) => `reject_rbl_client bl${i}.example.net`);
    await Promise.all(values.map((v) => run(info, 'zmprov', ['mcf', '+zimbraMtaRestriction', v])));
    const restrictions = (await readLdap(info.root)).config.zimbraMtaRestriction ?? [];
    expect([...restrictions].sort()).toEqual(['reject_invalid_helo_hostname', 'reject_non_fqdn_sender', ...values].sort());
  });
});
