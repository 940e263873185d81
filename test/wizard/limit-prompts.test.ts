import { confirm, input } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { quotaPrompt, quotaStep } from '../../src/wizard/steps/quota.js';
import { senderLoginMatchPrompt, senderLoginMatchStep } from '../../src/wizard/steps/sender-login-match.js';
import { webuiAccessPrompt } from '../../src/wizard/steps/webui-access.js';
import type { ServerEnv } from '../../src/core/types.js';

describe('outbound limit prompts', () => {
  it('offers 100 per hour and names the flag', async () => {
    const { answer, events, getScreen } = await render(input, quotaPrompt(undefined));
    expect(getScreen()).toContain('At most how many recipients may one account send to per hour? (--quota N)');
    expect(getScreen()).toContain('100');
    events.keypress('enter');
    expect(await answer).toBe('100');
  });

  it('refuses what is not a whole number of recipients', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, quotaPrompt({ limit: 250 }));
    events.type('0');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('Enter a whole number from 1 to 1000000');
    events.keypress('backspace');
    events.type('40');
    events.keypress('enter');
    expect(await answer).toBe('40');
  });

  it('explains the threat, and keeps the configured period', () => {
    expect(quotaStep.why).toMatch(/stolen password/);
    expect(quotaPrompt({ periodSeconds: 86400 }).message).toContain('per day');
  });
});

describe('sender/login match prompt', () => {
  it('names its flag, proposes No as apply does, and says why; is offered on 8.5+ only', async () => {
    const { answer, events, getScreen } = await render(confirm, senderLoginMatchPrompt(undefined));
    expect(getScreen()).toContain('(--sender-login-match)');
    events.keypress('enter');
    expect(await answer).toBe(false);
    expect(senderLoginMatchPrompt(true).default).toBe(true);
    expect(senderLoginMatchStep.why).toMatch(/553 5\.7\.1.*proposed is No, as apply leaves it off/);
    const env = (major: number, minor: number) => ({ env: { version: { major, minor, patch: 0 } } }) as unknown as { env: ServerEnv };
    expect(senderLoginMatchStep.applies!(env(8, 0) as never)).toBe(false);
    expect(senderLoginMatchStep.applies!(env(8, 5) as never)).toBe(true);
  });
});

describe('web UI access prompt', () => {
  it('takes comma-separated networks and refuses anything else', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, webuiAccessPrompt(undefined));
    expect(getScreen()).toContain('(--webui-allow CIDR)');
    events.type('192.0.2.0/24, intranet');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('"intranet" is not an IP address or network');
    for (let i = 0; i < 8; i++) events.keypress('backspace');
    events.type('10.1.0.0/16');
    events.keypress('enter');
    expect(await answer).toBe('192.0.2.0/24, 10.1.0.0/16');
  });
});

describe('web UI access: the answer gets the verdict of the flag and the config file', () => {
  it('refuses a network so broad that the next run would refuse the config file apply saved', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, webuiAccessPrompt(undefined));
    events.type('0.0.0.0/0');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('0.0.0.0/0 lets in every IPv4 address');
    for (let i = 0; i < 9; i++) events.keypress('backspace');
    events.type('192.0.2.0/24');
    events.keypress('enter');
    expect(await answer).toBe('192.0.2.0/24');
  });
});

