import { describe, expect, it } from 'vitest';
import { actionsFor } from '../../src/monitor/actions.js';
import type { FindingType } from '../../src/monitor/types.js';
import { actionFromText } from '../../src/monitor/finding-json.js';

const TYPES: FindingType[] = ['forged-sender-relay', 'stolen-account', 'quota-hit', 'backscatter', 'deferred-queue'];

describe('monitor actions as JSON', () => {
  it.each(TYPES)('%s: every command becomes an argument array and its comment the description', (type) => {
    for (const account of ['bob@example.com', undefined]) {
      for (const text of actionsFor(type, account)) {
        const action = actionFromText(text);
        expect(action.description).not.toMatch(/#/);
        if (text.includes('zimbra-harden ')) {
          expect(action.argv?.[0]).toBe('zimbra-harden');
          expect(text).toContain(action.argv!.join(' '));
        } else expect(action).toEqual({ description: text });
      }
    }
  });

  it('keeps the condition of a conditional step', () => {
    expect(actionFromText("if one account is behind it: zimbra-harden contain <account>   # holds its queued mail, nobody else's")).toEqual({
      argv: ['zimbra-harden', 'contain', '<account>'],
      description: "if one account is behind it: holds its queued mail, nobody else's",
    });
    expect(actionFromText('zimbra-harden contain bob@example.com   # lock it')).toEqual({ argv: ['zimbra-harden', 'contain', 'bob@example.com'], description: 'lock it' });
  });
});
