import { checkbox, input, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import { describe, expect, it } from 'vitest';
import { accountPrompt, domainsPrompt, typedAccountPrompt } from '../../src/wizard/steps/catch-all.js';
import { restartPrompt } from '../../src/wizard/steps/restart.js';

const discovery = {
  domains: ['a.example', 'b.example'],
  accountsByDomain: { 'a.example': ['alice@a.example', 'postmaster@a.example'], 'b.example': ['bob@b.example'] },
};

describe('catch-all prompts', () => {
  it('names the flag and checks every domain on a first run', async () => {
    const { answer, events, getScreen } = await render(checkbox, domainsPrompt(discovery, undefined));
    expect(getScreen()).toContain('(--catch-all DOMAIN=ACCOUNT)');
    expect(getScreen()).toContain('a.example (2 accounts)');
    events.keypress('enter');
    expect(await answer).toEqual(['a.example', 'b.example']);
  });

  it('checks only the domains of the config file on a re-run', async () => {
    const { answer, events } = await render(checkbox, domainsPrompt(discovery, [{ domain: 'b.example', account: 'bob@b.example' }]));
    events.keypress('enter');
    expect(await answer).toEqual(['b.example']);
  });

  it('proposes postmaster before other accounts, and the configured account above all', async () => {
    const first = await render(select, accountPrompt('a.example', discovery, undefined));
    expect(first.getScreen()).toContain('(--catch-all a.example=ACCOUNT)');
    first.events.keypress('enter');
    expect(await first.answer).toBe('postmaster@a.example');

    const again = await render(select, accountPrompt('a.example', discovery, [{ domain: 'a.example', account: 'alice@a.example' }]));
    again.events.keypress('enter');
    expect(await again.answer).toBe('alice@a.example');
  });

  it('refuses a typed account outside the domain or unknown, and accepts a known one', async () => {
    const { answer, events, getScreen, nextRender } = await render(input, typedAccountPrompt('a.example', discovery));
    events.type('bob@b.example');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('The catch-all account must be in a.example');
    for (let i = 0; i < 20; i++) events.keypress('backspace');
    events.type('nobody@a.example');
    events.keypress('enter');
    await nextRender();
    expect(getScreen()).toContain('nobody@a.example does not exist');
    for (let i = 0; i < 20; i++) events.keypress('backspace');
    events.type('alice@a.example');
    events.keypress('enter');
    expect(await answer).toBe('alice@a.example');
  });
});

describe('restart prompt', () => {
  it('defaults to services and names the flag', async () => {
    const { answer, events, getScreen } = await render(select, restartPrompt(undefined));
    expect(getScreen()).toContain('(--restart)');
    events.keypress('enter');
    expect(await answer).toBe('services');
  });
});
