import { questionOf, SETTINGS } from '../../core/options.js';
import { webuiAllowProblem } from '../../commands/settings-check.js';
import type { WizardStep } from '../step.js';

const split = (value: string) => value.split(/[\s,]+/).filter((v) => v !== '');

export function webuiAccessPrompt(current: string[] | undefined) {
  return {
    message: questionOf(SETTINGS.webuiAllow),
    default: (current ?? []).join(', '),
    validate: (value: string) => {
      // the same verdict as the flag and the config file: an answer apply would save must load again
      const problem = split(value).map(webuiAllowProblem).find(Boolean);
      return problem ?? true;
    },
  };
}

export const webuiAccessStep: WizardStep = {
  id: 'webui-access',
  title: 'Who may open the cbpolicyd web UI',
  why: 'The web UI on port 7780 has no login: whoever reaches it can lift every limit. Apache will answer it only to this server and the networks you list; from elsewhere, use an SSH tunnel.',
  async ask(prompt, { settings }) {
    return { webuiAllow: split(await prompt.input(webuiAccessPrompt(settings.webuiAllow))) };
  },
};
