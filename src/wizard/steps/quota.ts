import { periodText } from '../../cbpolicyd/design.js';
import { countAnswer, questionOf, SETTINGS } from '../../core/options.js';
import type { Settings } from '../../core/settings.js';
import type { WizardStep } from '../step.js';

export function quotaPrompt(current: Settings['quota']) {
  const { limit, periodSeconds } = SETTINGS.quota;
  return {
    message: questionOf(limit, { period: periodText(current?.periodSeconds ?? periodSeconds.default) }),
    default: String(current?.limit ?? limit.default),
    validate: (value: string) => countAnswer(limit, value),
  };
}

export const quotaStep: WizardStep = {
  id: 'quota',
  title: 'Outbound limit per account',
  why: 'With a stolen password a spammer sends thousands of mails until the server is block-listed. cbpolicyd will defer (450, nothing lost) whatever one login, or one webmail sender, sends beyond this limit; mail from the Internet to your users is never counted.',
  async ask(prompt, { settings }) {
    const limit = Number((await prompt.input(quotaPrompt(settings.quota))).trim());
    return { quota: { ...settings.quota, limit } };
  },
};
