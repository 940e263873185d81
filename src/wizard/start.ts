import chalk from 'chalk';
import type { Context } from '../commands/context.js';
import { surveyServer, type ServerSurvey } from './discover.js';

/**
 * The wizard's opening: starts reading the server and says so at once. zmprov starts a JVM (seconds
 * on a real server), so the admin sees the banner while it works, not a silent terminal.
 */
export function startWizard(ctx: Context): ServerSurvey {
  const survey = surveyServer(ctx.host);
  const { out } = ctx;
  out.line(chalk.bold('zimbra-harden') + ' — keep a stolen password from turning your Zimbra server into a spam relay.');
  out.line(chalk.gray('Nothing changes until you confirm the plan at the end. Ctrl-C quits at any time.'));
  out.line();
  out.line(chalk.gray('Reading the server: zmcontrol -v, zmprov -l gad and gaa…'));
  return survey;
}
