import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from '../../src/simulation/sandbox/create.js';
import { zimbraPaths } from '../../src/zimbra/paths.js';
import { versionProfile } from '../../src/simulation/sandbox/versions.js';
import { run, sandbox } from '../sandbox/helpers.js';
import { realPostconf, requestLines, runRealPostconf, type RealPostconf } from './postfix.js';

/** What zimbra-harden asks postconf, and the answers' edge cases: named, unknown, defaulted, -h, -n, -P with filters. */
const REQUESTS: string[][] = [
  ['smtpd_recipient_restrictions', 'smtpd_sender_restrictions', 'smtpd_end_of_data_restrictions', 'smtpd_sender_login_maps'],
  ['-h', 'smtpd_recipient_restrictions', 'no_such_parameter', 'smtpd_sender_restrictions'],
  ['-n'],
  ['-P'],
  ['-hP', '*/*/syslog_name', 'smtp-amavis', '465/*', 'nosuch/inet', '465/inet/no_such_parameter'],
  ['-P', '/inet/syslog_name'],
  ['-P', '465/inet/syslog_name/extra'],
];

/** After the MTA's rewrite only main.cf changed: what the tool reads there. */
const MAIN_CF_REQUESTS = REQUESTS.slice(0, 3);

describe("the simulated postconf answers as Debian's Postfix 3.7 does on the same main.cf and master.cf", () => {
  let real: RealPostconf;
  beforeAll(() => {
    real = realPostconf();
  });

  async function compare(info: SandboxInfo, requests: string[][]): Promise<void> {
    const configDir = path.dirname(path.join(info.root, zimbraPaths(versionProfile(info.version)).postfixMainCf));
    const answers = await Promise.all(
      requests.map(async (args) => {
        const [expected, simulated] = await Promise.all([runRealPostconf(real, configDir, args), run(info, 'postconf', args)]);
        return { expected: { args, ...expected }, simulated: { args, exitCode: simulated.exitCode, stdout: simulated.stdout, stderr: requestLines(simulated.stderr) } };
      }),
    );
    expect(answers.map((a) => a.simulated)).toEqual(answers.map((a) => a.expected));
  }

  it('8.8.15 as installed', async () => {
    await compare(await sandbox('8.8.15'), REQUESTS);
  });

  it('10.1.0 once cbpolicyd is enabled and the MTA rewrote its configuration', async () => {
    const info = await sandbox('10.1.0');
    expect((await run(info, 'zmprov', ['ms', info.hostname, '+zimbraServiceInstalled', 'cbpolicyd', '+zimbraServiceEnabled', 'cbpolicyd'])).exitCode).toBe(0);
    expect((await run(info, 'zmmtactl', ['restart'])).exitCode).toBe(0);
    const restrictions = await run(info, 'postconf', ['-h', 'smtpd_recipient_restrictions']);
    expect(restrictions.stdout).toMatch(/^check_policy_service /);
    await compare(info, MAIN_CF_REQUESTS);
  });
});
