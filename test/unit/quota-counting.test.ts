import { describe, expect, it } from 'vitest';
import { allowedRecipients, counterLimitFor, pathLists, reachesPolicy, timesCounted } from '../../src/cbpolicyd/counting.js';
import { perAccountDesign } from '../../src/cbpolicyd/design.js';
import { submitters } from '../../src/core/quota-input.js';
import type { ServerEnv } from '../../src/core/types.js';
import { parseMasterCf, parseMasterParams, predictedPaths } from '../../src/cbpolicyd/policy-paths.js';
import { zimbraPaths } from '../../src/zimbra/paths.js';

const CHECK = 'check_policy_service inet:localhost:10031';

/**
 * cbpolicyd's Quotas module as measured (test/real/cbpolicyd-daemon.test.ts): every policy request for a recipient adds 1,
 * and a request is deferred when the count before it is greater than CounterLimit. Returns how many
 * recipients of one long message pass.
 */
function simulate(counterLimit: number, k: number, recipients: number): number {
  let counter = 0;
  for (let r = 1; r <= recipients; r++) {
    for (let copy = 0; copy < k; copy++) {
      if (counter > counterLimit) return r - 1;
      counter++;
    }
  }
  return recipients;
}

function env(version: string): ServerEnv {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const v = { major, minor, patch, raw: version };
  return { version: v, hostname: 'mail.a.example', paths: zimbraPaths(v), mtaServers: [], localconfig: {} };
}

describe('counting per path', () => {
  it('stores k·N − 1 so that exactly N recipients pass where each is counted k times', () => {
    for (const k of [1, 2]) {
      for (const n of [1, 2, 3, 50, 100, 101]) {
        const limit = counterLimitFor(n, k);
        expect(simulate(limit, k, 10 * n)).toBe(n);
        expect(allowedRecipients(limit, k)).toBe(n);
      }
    }
    expect(allowedRecipients(99, 2)).toBe(50); // the submission-sized limit seen on port 25
    expect(simulate(100, 1, 500)).toBe(101); // the recipe's CounterLimit 100
  });

  it('counts a list only when the check comes before a permit that applies to the client', () => {
    const zimbra = `${CHECK}, reject_non_fqdn_recipient, permit_sasl_authenticated, permit_mynetworks, reject_unlisted_recipient, permit`;
    expect(reachesPolicy(zimbra, 10031, 'sasl')).toBe(1);
    const legacy = 'reject_non_fqdn_recipient, permit_sasl_authenticated, permit_mynetworks, check_policy_service inet:127.0.0.1:10031, permit';
    expect(reachesPolicy(legacy, 10031, 'sasl')).toBe(0);
    expect(reachesPolicy(legacy, 10031, 'mynetworks')).toBe(0);
    expect(reachesPolicy(legacy, 10031, 'outside')).toBe(1);
    expect(reachesPolicy(`${CHECK}`, 10032, 'sasl')).toBe(0);
    expect(reachesPolicy('', 10031, 'sasl')).toBe(0);
  });

  it('applies master.cf overrides: 465 and 587 empty their recipient restrictions', () => {
    const overrides = parseMasterParams(
      ['submission/inet/smtpd_recipient_restrictions =', '465/inet/smtpd_recipient_restrictions =', 'smtpd/pass/content_filter = scan:[127.0.0.1]:10030', '[127.0.0.1]:10025/inet/smtpd_sender_restrictions ='].join('\n'),
    );
    const paths = pathLists({ sender: `${CHECK}, permit_mynetworks`, recipient: `${CHECK}, permit_sasl_authenticated` }, overrides);
    const k = Object.fromEntries(paths.map((p) => [p.id, timesCounted(p, 10031, 'sasl')]));
    expect(k).toEqual({ smtp: 2, submission: 1, smtps: 1 });
  });

  it('reads -o options from master.cf where postconf has no -P', () => {
    const text = ['# comment', 'smtp      inet  n       -       n       -       -       smtpd', 'submission inet n       -       n       -       -       smtpd', '\t-o smtpd_sasl_auth_enable=yes', '\t-o smtpd_recipient_restrictions=', ''].join('\n');
    expect(parseMasterCf(text)).toEqual([
      { service: 'submission', type: 'inet', param: 'smtpd_sasl_auth_enable', value: 'yes' },
      { service: 'submission', type: 'inet', param: 'smtpd_recipient_restrictions', value: '' },
    ]);
  });

  it('predicts what zmconfigd renders per release before the wiring is live', () => {
    const k = (version: string) => Object.fromEntries(predictedPaths(env(version), 10031).map((p) => [p.id, [timesCounted(p, 10031, 'sasl'), timesCounted(p, 10031, 'mynetworks')]]));
    expect(k('8.8.15')).toEqual({ smtp: [2, 2], submission: [1, 1], smtps: [1, 1] });
    expect(k('8.0.0')).toEqual({ smtp: [1, 1], submission: [0, 0], smtps: [0, 0] });
    expect(k('7.2.7')).toEqual({ smtp: [0, 0], submission: [0, 0], smtps: [0, 0] });
  });
});

describe('the per-account design', () => {
  it('sizes the SMTP AUTH limit for submission and tells what each path gets', () => {
    const design = perAccountDesign({
      limit: 100,
      period: 3600,
      sasl: { smtp: 2, submission: 1, smtps: 1 },
      mynetworks: { smtp: 2, submission: 0, smtps: 0 },
      submitters: ['127.0.0.0/8'],
    });
    expect(design.policies.map((p) => p.quotas[0]!.limit.counterLimit)).toEqual([99, 199]);
    expect(design.summary[0]).toBe('SMTP AUTH, at most 100 recipients per hour per login: port 25: 50, submission 587: 100, smtps 465: 100');
    expect(design.summary[1]).toBe('webmail, at most 100 recipients per hour per sender: port 25: 100');
  });

  it('puts the networks of mynetworks in the submitters group, IPv6 without the brackets cbpolicyd refuses', () => {
    expect(submitters(['127.0.0.0/8', '[::1]/128', '10.0.0.0/24', '192.0.2.7', '10.0.0.0/24', '[FD00:0001::]/64', '[2001:db8::7]', '2001:db8::/32'])).toEqual({
      members: ['127.0.0.0/8', '::1/128', '10.0.0.0/24', '192.0.2.7', 'fd00:1::/64', '2001:db8::7', '2001:db8::/32'],
      skipped: [],
    });
  });

  it('leaves out of the submitters group what cbpolicyd cannot match', () => {
    const odd = ['mail.a.example', '/opt/zimbra/conf/mynetworks', 'hash:/etc/postfix/network_table', '[fe80::1%eth0]/64', '[::1]/129', '[10.0.0.1]', '300.0.0.0/8'];
    expect(submitters(odd)).toEqual({ members: [], skipped: odd });
  });
});
