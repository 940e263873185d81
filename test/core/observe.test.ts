import { describe, expect, test } from 'vitest';
import { observe } from '../../src/core/engine.js';
import { PENDING_RESTARTS } from '../../src/core/pending-restarts.js';
import type { Control, Item } from '../../src/core/types.js';
import { MemoryHost, zmprovBatch } from '../helpers/memory-host.js';
import { HOSTNAME, serverEnv } from './plan-items.js';

const LOCALCONFIG = `<?xml version="1.0" encoding="UTF-8"?>\n<localconfig>\n  <key name="zimbra_server_hostname">\n    <value>${HOSTNAME}</value>\n  </key>\n</localconfig>\n`;
const GAS = `# name ${HOSTNAME}\nzimbraServiceEnabled: mta\nzimbraServiceInstalled: mta\n\n`;

function zimbra(answer: (argv: string[]) => string = () => '') {
  return new MemoryHost()
    .put('/opt/zimbra/bin/zmcontrol', '', { mode: 0o755 })
    .put('/opt/zimbra/conf/localconfig.xml', LOCALCONFIG)
    .on('/opt/zimbra/bin/zmcontrol', { stdout: 'Release 8.8.15_GA_3869.RHEL7_64_20190917004220 RHEL7_64 FOSS edition, Patch 8.8.15_P45.\n' })
    .on('/opt/zimbra/bin/zmprov', zmprovBatch({ answer: (argv) => (argv[0] === 'gas' ? GAS : answer(argv)) }));
}

/** A control that reads what it is given and reports what it got, through both halves. */
function echo(id: string, reads: string[][]): Control<string[]> {
  return {
    id,
    title: id,
    reads: () => reads,
    gather: async (ctx) => ctx.reads.map((r) => `${r.argv.join(' ')} → ${r.stdout.trim()}`),
    plan: (facts, ctx): Item[] => [{ control: id, subject: ctx.env.hostname, status: 'ok', message: facts.join('; '), actions: [], restart: [] }],
  };
}

describe('observe', () => {
  test("every control's reads go to one zmprov process after gas -v mta, and each control gets its own results", async () => {
    const host = zimbra((argv) => `${argv[1]}: seen\n`);
    const obs = await observe(host, {}, [echo('one', [['gcf', 'a'], ['gcf', 'b']]), echo('none', []), echo('two', [['gcf', 'c']])]);
    expect(host.calls.filter((c) => c.command.endsWith('zmprov')).map((c) => c.options.input)).toEqual(['gas -v mta\ngcf a\ngcf b\ngcf c\nexit\n']);
    expect(obs.env.mtaServers).toEqual([{ name: HOSTNAME, attrs: { zimbraServiceEnabled: ['mta'], zimbraServiceInstalled: ['mta'] } }]);
    expect(obs.items.map((i) => `${i.control}: ${i.message}`)).toEqual(['one: gcf a → a: seen; gcf b → b: seen', 'none: ', 'two: gcf c → c: seen', 'restart: nothing needs a restart']);
  });

  test('a skipped control reads nothing and says so; the others keep their results', async () => {
    const host = zimbra((argv) => `${argv[1]}\n`);
    const obs = await observe(host, { skip: ['one'] }, [echo('one', [['gcf', 'a']]), echo('two', [['gcf', 'c']])]);
    expect(host.calls.find((c) => c.command.endsWith('zmprov'))!.options.input).toBe('gas -v mta\ngcf c\nexit\n');
    expect(obs.items.slice(0, 2).map((i) => `${i.status} ${i.control}: ${i.message}`)).toEqual(['skip one: skipped by configuration (skip)', 'ok two: gcf c → c']);
  });

  test('no MTA server: one line with what zmprov said', async () => {
    const host = zimbra().on('/opt/zimbra/bin/zmprov', { exitCode: 1, stdout: 'ERROR: service.FAILURE (system failure: LDAP is down)\n' });
    await expect(observe(host, {}, [])).rejects.toThrow('zmprov found no MTA server (zmprov -l gas mta): ERROR: service.FAILURE (system failure: LDAP is down); is LDAP running? (zmcontrol status)');
  });

  test('restarts an earlier run left owed are planned, with when they were owed', async () => {
    const host = zimbra().put(PENDING_RESTARTS, JSON.stringify({ services: ['cbpolicyd'], since: '2026-01-01T10:00:00.000Z' }));
    const obs = await observe(host, {}, []);
    expect(obs.items.at(-1)).toMatchObject({ control: 'restart', status: 'change', message: 'restart cbpolicyd' });
    expect(obs.items.at(-1)!.details).toEqual(['an earlier apply (2026-01-01T10:00:00.000Z) changed cbpolicyd but did not finish restarting it: the change is not live yet']);
  });

  test('reads only: observing changes nothing', async () => {
    const host = zimbra();
    await observe(host, {}, [echo('one', [['gcf', 'a']])]);
    expect(host.journal.filter((l) => !l.startsWith('run '))).toEqual([]);
  });

  test("every control's Postfix parameters come from one postconf run, and each control reads the values it declared", async () => {
    const values: Record<string, string> = { smtpd_sender_restrictions: 'permit_mynetworks', mynetworks: '127.0.0.0/8', smtpd_recipient_restrictions: 'reject' };
    const host = zimbra().on('/opt/zimbra/common/sbin/postconf', (args) => ({
      stdout: args.filter((a) => a in values).map((a) => `${a} = ${values[a]}\n`).join(''),
      stderr: args.filter((a) => !(a in values)).map((a) => `postconf: warning: ${a}: unknown parameter\n`).join(''),
    }));
    const postfix = (id: string, params: string[], master = false): Control<string> => ({
      id,
      title: id,
      reads: () => [],
      postconf: () => params,
      gather: async ({ postconf }) => {
        const { values: got } = await postconf.params(params);
        const overrides = master ? ` -P:${(await postconf.master()).exitCode}` : '';
        return params.map((p) => `${p}=${got.get(p) ?? '(unknown)'}`).join(' ') + overrides;
      },
      plan: (facts, ctx): Item[] => [{ control: id, subject: ctx.env.hostname, status: 'ok', message: facts, actions: [], restart: [] }],
    });
    const obs = await observe(host, {}, [postfix('one', ['smtpd_sender_restrictions', 'mynetworks']), echo('none', []), postfix('two', ['mynetworks', 'smtpd_recipient_restrictions', 'no_such_param'], true)]);
    expect(host.calls.filter((c) => c.command.endsWith('postconf')).map((c) => [c.args, c.options.user])).toEqual([
      [['smtpd_sender_restrictions', 'mynetworks', 'smtpd_recipient_restrictions', 'no_such_param'], 'zimbra'],
      [['-P'], 'zimbra'],
    ]);
    expect(obs.items.slice(0, 3).map((i) => i.message)).toEqual([
      'smtpd_sender_restrictions=permit_mynetworks mynetworks=127.0.0.0/8',
      '',
      'mynetworks=127.0.0.0/8 smtpd_recipient_restrictions=reject no_such_param=(unknown) -P:0',
    ]);
  });

  test('no postconf when no control in use declares a Postfix parameter; a parameter read but not declared is an error', async () => {
    const host = zimbra().on('/opt/zimbra/common/sbin/postconf', {});
    const reader: Control<string> = {
      id: 'reader',
      title: 'reader',
      reads: () => [],
      postconf: () => ['mynetworks'],
      gather: async ({ postconf }) => String((await postconf.params(['mynetworks'])).values.size),
      plan: () => [],
    };
    await observe(host, { skip: ['reader'] }, [reader, echo('none', [])]);
    expect(host.calls.filter((c) => c.command.endsWith('postconf'))).toEqual([]);
    await expect(observe(host, {}, [{ ...reader, postconf: () => [] }])).rejects.toThrow('postconf parameters read but not declared: mynetworks');
  });

  test('a server already detected (the wizard) is not detected again', async () => {
    const host = zimbra();
    const obs = await observe(host, {}, [], undefined, { ...serverEnv(), mtaServers: [] });
    expect(host.calls.filter((c) => c.command.endsWith('zmcontrol'))).toEqual([]);
    expect(obs.env.mtaServers.map((s) => s.name)).toEqual([HOSTNAME]);
  });
});
