import { isAccountName } from '../../zimbra/names.js';
import { countAnswer, questionOf, SETTINGS } from '../../core/options.js';
import { monitorSchema, type Settings } from '../../core/settings.js';
import type { WizardStep } from '../step.js';

export function reportToPrompt(current: Settings['monitor'], suggestion: string | undefined) {
  return {
    message: questionOf(SETTINGS.monitor.reportTo),
    default: current?.reportTo ?? suggestion ?? '',
    validate: (value: string) => (value.trim() === '' || isAccountName(value.trim()) ? true : 'Enter an e-mail address, or nothing'),
  };
}

export function intervalPrompt(current: Settings['monitor']) {
  return {
    message: questionOf(SETTINGS.monitor.intervalMinutes),
    default: String(current?.intervalMinutes ?? SETTINGS.monitor.intervalMinutes.default),
    validate: (value: string) => countAnswer(SETTINGS.monitor.intervalMinutes, value),
  };
}

export const monitorStep: WizardStep = {
  id: 'monitor',
  title: 'Log monitor',
  why: 'Limits slow a spammer down; someone still has to notice. A cron job reads /var/log/zimbra.log every few minutes and mails you when an account relays mail with forged senders, sends far beyond its habit, or hits its limit, with the command that contains it.',
  async ask(prompt, { settings, discovery }) {
    const firstDomain = discovery.domains[0];
    const admin = firstDomain ? discovery.accountsByDomain[firstDomain]?.find((a) => a.startsWith('admin@')) : undefined;
    const reportTo = (await prompt.input(reportToPrompt(settings.monitor, admin))).trim();
    if (reportTo === '') return { monitor: undefined };
    const intervalMinutes = Number((await prompt.input(intervalPrompt(settings.monitor))).trim());
    return { monitor: monitorSchema.parse({ ...settings.monitor, reportTo, intervalMinutes }) };
  },
};
