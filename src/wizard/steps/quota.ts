import { periodText } from '../../cbpolicyd/design.js';
import { DEFAULT_QUOTA } from '../../cbpolicyd/quota-input.js';
import type { Settings } from '../../core/settings.js';
import type { WizardStep } from '../step.js';

export function quotaPrompt(current: Settings['quota']) {
  const per = periodText(current?.periodSeconds ?? 3600);
  return {
    message: `At most how many recipients may one account send to ${per}? (--quota N)`,
    default: String(current?.limit ?? DEFAULT_QUOTA),
    validate: (value: string) => {
      const v = value.trim();
      return /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1_000_000 ? true : 'Enter a whole number from 1 to 1000000';
    },
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
