import { questionOf, SETTINGS } from '../../core/options.js';
import type { Settings } from '../../core/settings.js';
import type { WizardStep } from '../step.js';

export function restartPrompt(current: Settings['restart']) {
  return {
    message: questionOf(SETTINGS.restart),
    choices: [
      { name: 'services: only what changed: the MTA, cbpolicyd, Apache (a few seconds of SMTP downtime)', value: 'services' as const },
      { name: 'full: zmcontrol restart, all of Zimbra (minutes; webmail users are logged out)', value: 'full' as const },
      { name: 'none: I will restart later (nothing is enforced until then)', value: 'none' as const },
    ],
    default: current ?? SETTINGS.restart.default,
  };
}

export const restartStep: WizardStep = {
  id: 'restart',
  title: 'Restart',
  why: 'Postfix only starts asking cbpolicyd after the MTA and cbpolicyd restart; until then no limit holds. Afterwards the wizard checks that both came back and are wired together.',
  async ask(prompt, { settings }) {
    return { restart: await prompt.select(restartPrompt(settings.restart)) };
  },
};
