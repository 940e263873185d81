import { questionOf, SETTINGS } from '../../core/options.js';
import { atLeast } from '../../zimbra/version.js';
import type { WizardStep } from '../step.js';

export function senderLoginMatchPrompt(current: boolean | undefined) {
  return {
    message: questionOf(SETTINGS.senderLoginMatch),
    default: current ?? false,
  };
}

export const senderLoginMatchStep: WizardStep = {
  id: 'sender-login-match',
  title: 'Sender must match the login',
  why: 'A stolen login is used to send as anyone (x@yahoo.com…), which also hides who it is. Postfix can refuse a sender address the login does not own; users who send as addresses they have not declared (zimbraAllowFromAddress) are refused too (553 5.7.1), so check that first. The answer proposed is No, as apply leaves it off unless asked (--sender-login-match).',
  applies: ({ env }) => atLeast(env.version, 8, 5),
  async ask(prompt, { settings }) {
    return { senderLoginMatch: await prompt.confirm(senderLoginMatchPrompt(settings.senderLoginMatch)) };
  },
};
