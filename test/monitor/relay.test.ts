import { describe, expect, test } from 'vitest';
import { fixture, monitorOn, put, tempRoot } from './helpers.js';

describe('forged-sender relaying', () => {
  test("the recipe's FWD-only log: the forged sender is joined to the SASL login behind it", async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', fixture('recipe-fwd-only.log'));
    const { findings } = await monitorOn(root);
    expect(findings.map((f) => `${f.type} ${f.subject}`)).toEqual(['forged-sender-relay bob@example.com']);
    const relay = findings[0]!;
    expect(relay).toMatchObject({ account: 'bob@example.com', origin: 'smtp-auth' });
    // the recipe's line lists some recipients twice: 8 distinct, then 3
    expect(relay.counts).toMatchObject({ messages: 2, forgedSenders: 2, outsideRecipients: 11 });
    expect(relay.reasons.join(' ')).toContain('addresse@yahoo.com');
    expect(relay.evidence[0]).toContain('FWD from <addresse@yahoo.com>');
    expect(relay.actions[0]).toMatch(/^zimbra-harden contain bob@example.com/);
    expect(relay.firstSeen).toBe(new Date(2024, 9, 30, 8, 49, 20).toISOString());
    expect(relay.lastSeen).toBe(new Date(2024, 9, 30, 8, 52, 41).toISOString());
  });

  test('newer amavis: own-domain forged sender, inbound forwarding and webmail are told apart; a second amavis pass counts once', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', fixture('relay-mail-id.log'));
    const { findings } = await monitorOn(root);
    const bySubject = Object.fromEntries(findings.map((f) => [f.subject, f]));
    expect(Object.keys(bySubject).sort()).toEqual(['bob@example.com', 'dave@example.com']);
    expect(bySubject['bob@example.com']!.reasons[0]).toContain('sent as other addresses of our domains');
    expect(bySubject['bob@example.com']!.reasons.join(' ')).toContain('ceo@example.com');
    // two Passed lines for one message (the re-injected copy went through amavis again)
    expect(bySubject['dave@example.com']!.counts).toMatchObject({ messages: 1, outsideRecipients: 2 });
    expect(findings.every((f) => f.type === 'forged-sender-relay')).toBe(true);
  });

  test('addresses declared in the config are ours', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', fixture('relay-mail-id.log'));
    const { findings } = await monitorOn(root, { settings: { ownAddresses: ['ceo@example.com', '@aol.com'] } });
    expect(findings).toEqual([]);
  });

  test('syslog years: a relay across New Year keeps its order', async () => {
    const root = tempRoot();
    put(root, '/var/log/zimbra.log', fixture('year-change.log'), new Date(2025, 0, 1, 0, 1));
    const { findings } = await monitorOn(root, { now: new Date(2025, 0, 1, 0, 5) });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.firstSeen).toBe(new Date(2024, 11, 31, 23, 59, 41).toISOString());
    expect(findings[0]!.lastSeen).toBe(new Date(2025, 0, 1, 0, 0, 6).toISOString());
  });
});
