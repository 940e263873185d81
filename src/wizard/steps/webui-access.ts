import { isIpOrCidr } from '../../core/cidr.js';
import type { WizardStep } from '../step.js';

const split = (value: string) => value.split(/[\s,]+/).filter((v) => v !== '');

export function webuiAccessPrompt(current: string[] | undefined) {
  return {
    message: 'Admin networks that may open the cbpolicyd web UI besides this server, comma-separated, empty for none (--webui-allow CIDR)',
    default: (current ?? []).join(', '),
    validate: (value: string) => {
      const bad = split(value).find((v) => !isIpOrCidr(v));
      return bad === undefined ? true : `${bad} is not an IP address or network (e.g. 192.0.2.0/24)`;
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
