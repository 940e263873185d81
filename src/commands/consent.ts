import { UsageError } from '../errors.js';
import type { Context } from './context.js';

/** Asks a yes/no question (Inquirer, loaded only when a question is really asked). */
export type Confirm = (message: string) => Promise<boolean>;

export const inquirerConfirm: Confirm = async (message) => {
  const { confirm } = await import('../ui/prompts.js');
  return confirm({ message, default: false });
};

/** Why no question can be asked, for the refusal message. */
function whyNoQuestion(ctx: Context): string {
  if (ctx.options.json) return 'with --json';
  if (ctx.options.quiet) return 'with --quiet';
  if (ctx.options.nonInteractive) return 'with --non-interactive';
  if (process.env.CI) return 'with CI set';
  return 'without a terminal';
}

/**
 * Consent to change the server, as Terraform asks it: --yes, or "yes" to the question on a
 * terminal. Where no question can be asked (no terminal, --json, -n, -q, CI) a change without
 * --yes is refused as a usage error (exit 64), before anything changes.
 */
export async function consentToChange(ctx: Context, question: string): Promise<boolean> {
  if (ctx.options.yes) return true;
  if (!ctx.interactive) {
    throw new UsageError(`nothing was changed: ${whyNoQuestion(ctx)} there is no one to confirm the changes; add --yes to make them`);
  }
  return ctx.confirm(question);
}
