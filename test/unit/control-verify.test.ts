import { describe, expect, it } from 'vitest';
import { senderLoginMatchControl } from '../../src/controls/sender-login-match.js';
import { SENDER_LOGIN_PARAMS } from '../../src/zimbra/sender-login.js';
import { applyPlan } from '../../src/core/apply.js';
import { detectServer } from '../../src/core/detect.js';
import type { ApplyEvent } from '../../src/core/events.js';
import { RESTART } from '../../src/core/restart.js';
import type { Control, Item, ServerEnv } from '../../src/core/types.js';
import { RealHost } from '../../src/host/real-host.js';
import { postconfReader } from '../../src/zimbra/postconf.js';
import { sandbox } from '../helpers/sandbox.js';

async function server(): Promise<{ host: RealHost; env: ServerEnv }> {
  const box = await sandbox('8.8.15');
  const host = new RealHost(box.root);
  return { host, env: await detectServer(host) };
}

/** A change of sender-login-match that only needs the MTA restart, worded unlike any message the control writes. */
const restartOnly: Item = { control: 'sender-login-match', subject: 'mail.a.example', status: 'change', message: 'Postfix still has the old value: restart the MTA', actions: [], restart: ['mta'] };

describe('controls verify themselves', () => {
  it('sender-login-match judges from the settings and postconf, whatever its item says', async () => {
    const { host, env } = await server();
    // The sandbox's Postfix does not run the check.
    const off = await senderLoginMatchControl.verify!({ host, env, postconf: postconfReader(host, env, SENDER_LOGIN_PARAMS), settings: { senderLoginMatch: false }, items: [restartOnly] });
    expect(off).toEqual([{ ok: true, message: 'Postfix no longer runs reject_authenticated_sender_login_mismatch', evidence: expect.any(Array) }]);
    const on = await senderLoginMatchControl.verify!({ host, env, postconf: postconfReader(host, env, SENDER_LOGIN_PARAMS), settings: { senderLoginMatch: true }, items: [restartOnly] });
    expect(on).toMatchObject([{ ok: false, message: 'Postfix does NOT enforce reject_authenticated_sender_login_mismatch after the MTA restart' }]);
    expect(on[0]!.evidence).toEqual([expect.stringMatching(/^smtpd_sender_restrictions = /), expect.stringMatching(/^smtpd_sender_login_maps = /)]);
    // Nothing of it changed: nothing to verify.
    expect(await senderLoginMatchControl.verify!({ host, env, postconf: postconfReader(host, env, SENDER_LOGIN_PARAMS), settings: { senderLoginMatch: true }, items: [{ ...restartOnly, status: 'ok' }] })).toEqual([]);
  });

  it('apply asks each control of the plan to verify itself after the restart, and a failed verdict fails the apply', async () => {
    const { host, env } = await server();
    const seen: unknown[] = [];
    const probe: Control = {
      id: 'probe',
      title: 'probe',
      reads: () => [],
      gather: async () => undefined,
      plan: () => [],
      async verify({ items, settings }) {
        seen.push({ items: items.map((i) => i.subject), settings });
        return [{ ok: false, message: 'the probe is not live', evidence: ['looked'] }];
      },
    };
    const items: Item[] = [
      { control: 'probe', subject: 'it', status: 'ok', message: 'holds', actions: [], restart: [] },
      { control: RESTART, subject: env.hostname, status: 'change', message: 'restart', actions: [], restart: [] },
    ];
    const events: ApplyEvent[] = [];
    const outcome = await applyPlan(host, { env, items }, (e) => events.push(e), { controls: [probe], settings: { quota: { limit: 7 } } });
    expect(seen).toEqual([{ items: ['it'], settings: { quota: { limit: 7 } } }]);
    expect(events.filter((e) => e.type === 'verify')).toEqual([{ type: 'verify', ok: false, message: 'the probe is not live', evidence: ['looked'] }]);
    expect(outcome.verified).toBe(false);
  });
});
