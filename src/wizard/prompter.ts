import type { checkbox, confirm, input, select } from '@inquirer/prompts';

/** The prompts the wizard uses; Inquirer's, loaded only when the wizard really asks. */
export interface Prompter {
  select: typeof select;
  input: typeof input;
  confirm: typeof confirm;
  checkbox: typeof checkbox;
}

export async function inquirerPrompter(): Promise<Prompter> {
  const { checkbox, confirm, input, select } = await import('../ui/prompts.js');
  return { checkbox, confirm, input, select };
}
