import { describe, expect, it } from 'vitest';
import { parseZmcontrolVersion } from '../../src/zimbra/version.js';
import { SANDBOX_VERSIONS } from '../../src/zimbra/paths.js';
import { run, sandbox } from './helpers.js';

const EXPECTED_VERSION_LINES: Record<(typeof SANDBOX_VERSIONS)[number], string> = {
  '7.2.7': 'Release 7.2.7_GA_2942.RHEL6_64_20140314155526 RHEL6_64 FOSS edition.\n',
  '8.0.9': 'Release 8.0.9_GA_6191.RHEL6_64_20141103151539 RHEL6_64 FOSS edition.\n',
  '8.6.0': 'Release 8.6.0_GA_1153.RHEL7_64_20141215151110 RHEL7_64 FOSS edition.\n',
  '8.8.15': 'Release 8.8.15_GA_3869.RHEL7_64_20190917004220 RHEL7_64 FOSS edition, Patch 8.8.15_P45.\n',
  '10.1.0': 'Release 10.1.0.GA.4655.UBUNTU22.64 UBUNTU22_64 FOSS edition.\n',
};

describe('zmcontrol -v', () => {
  it.each(SANDBOX_VERSIONS.map((v) => [v]))('%s prints its release line', async (version) => {
    const info = await sandbox(version);
    const r = await run(info, 'zmcontrol', ['-v']);
    expect(r).toMatchObject({ exitCode: 0, stdout: EXPECTED_VERSION_LINES[version], stderr: '' });
    const parsed = parseZmcontrolVersion(r.stdout);
    expect(parsed && `${parsed.major}.${parsed.minor}.${parsed.patch}`).toBe(version);
  });
});

describe('zmcontrol status', () => {
  it('prints Host and one padded line per enabled service; a stopped mta makes it exit 1', async () => {
    const info = await sandbox('8.8.15');
    const ok = await run(info, 'zmcontrol', ['status']);
    expect(ok.exitCode).toBe(0);
    const lines = ok.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Host ${info.hostname}`);
    expect(lines).toContain('\tmta                     Running');
    expect(lines).toContain('\tzimbra webapp           Running');
    expect(lines).not.toContain(expect.stringContaining('cbpolicyd'));
    await run(info, 'zmmtactl', ['stop']);
    const stopped = await run(info, 'zmcontrol', ['status']);
    expect(stopped.exitCode).toBe(1);
    expect(stopped.stdout).toContain('\tmta                     Stopped\n\t\tpostfix is not running\n');
    expect((await run(info, 'zmmtactl', ['status'])).exitCode).toBe(1);
  });

  it('a stopped logger alone does not fail the status (zmcontrol treats logger, spell, snmp as optional)', async () => {
    const info = await sandbox('8.6.0');
    const { readServices, writeServices } = await import('../../src/simulation/sandbox/state.js');
    const services = await readServices(info.root);
    await writeServices(info.root, { ...services, logger: false });
    const r = await run(info, 'zmcontrol', ['status']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('\tlogger                  Stopped\n');
  });

  it('lists cbpolicyd once enabled, Stopped until it is started', async () => {
    const info = await sandbox('10.1.0');
    await run(info, 'zmprov', ['ms', info.hostname, '+zimbraServiceInstalled', 'cbpolicyd', '+zimbraServiceEnabled', 'cbpolicyd']);
    const before = await run(info, 'zmcontrol', ['status']);
    expect(before.exitCode).toBe(1);
    expect(before.stdout).toContain('\tcbpolicyd               Stopped\n\t\tpolicyd is not running.\n');
    await run(info, 'zmcbpolicydctl', ['start']);
    const after = await run(info, 'zmcontrol', ['status']);
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain('\tcbpolicyd               Running\n');
  });

  it('7.x: a plain zmprov replace of zimbraServiceEnabled leaves zmcontrol one service to manage', async () => {
    const info = await sandbox('7.2.7');
    await run(info, 'zmprov', ['ms', info.hostname, 'zimbraServiceEnabled', 'cbpolicyd']);
    const r = await run(info, 'zmcontrol', ['restart']);
    expect(r.stdout).toContain('\tStarting cbpolicyd...Done.\n');
    expect(r.stdout).not.toContain('Starting mta');
    const status = await run(info, 'zmcontrol', ['status']);
    expect(status.stdout).toBe(`Host ${info.hostname}\n\tcbpolicyd               Running\n\tzmconfigd               Running\n`);
  });
});

describe('zmcontrol usage', () => {
  it('exits 1 with the usage on an unknown command', async () => {
    const info = await sandbox('8.8.15');
    const r = await run(info, 'zmcontrol', ['bounce']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('[-v -h -H <host>] command [args]');
  });
});
