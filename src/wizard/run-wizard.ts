import chalk from 'chalk';
import { runSession, withApplyLock } from '../core/session.js';
import type { Settings } from '../core/settings.js';
import type { Context } from '../commands/context.js';
import { hardeningPlan, readServer, sessionOf } from '../commands/session.js';
import { suggestCommand } from '../ui/suggest.js';
import { resolveSettings } from '../commands/prepare.js';
import type { SettingFlags } from '../commands/settings-flags.js';
import { EXIT } from '../errors.js';
import { formatVersion } from '../zimbra/version.js';
import { recapLine } from '../ui/render-items.js';
import { showObservation } from '../ui/session-view.js';
import type { Discovery, ServerSurvey } from './discover.js';
import { startWizard } from './start.js';
import { inquirerPrompter, type Prompter } from './prompter.js';
import { WIZARD_STEPS } from './steps/index.js';
import type { ServerEnv } from '../core/types.js';

/**
 * The guided session: detect, explain and ask each step, show the whole plan, confirm once,
 * apply with progress, recap. Re-run on a hardened server it shows the audit and asks whether to
 * change anything. Every prompt names its flag.
 */
export async function runWizard(ctx: Context, flags: SettingFlags, prompter?: Prompter, started?: ServerSurvey): Promise<number> {
  const { out, host } = ctx;
  // Version detection, the domain list and loading the prompts overlap: the first question comes sooner.
  const surveying = started ?? startWizard(ctx);
  const loading = prompter ? Promise.resolve(prompter) : inquirerPrompter();

  const [detected, discovered] = await surveying;
  if (detected.status === 'rejected') throw detected.reason;
  if (discovered.status === 'rejected') throw discovered.reason;
  const env = detected.value;
  const discovery = discovered.value;
  const prompt = await loading;
  describeServer(ctx, env, discovery);

  let settings = await resolveSettings(ctx, flags, false);
  return withApplyLock(host, 'zimbra-harden apply', async () => {
    if (settings.catchAll !== undefined) {
      const audit = await readServer(ctx, settings, env);
      const r = showObservation(out, host, audit, 'audit');
      out.line(recapLine(r, 'audit'));
      if (r.changed === 0 && r.failed === 0) {
        out.line(chalk.green('Every protection holds.'));
        if (!(await prompt.confirm({ message: 'Change something?', default: false }))) return EXIT.ok;
      }
      out.line();
    }

    for (const step of WIZARD_STEPS) {
      const stepCtx = { env, discovery, settings };
      if (step.applies && !step.applies(stepCtx)) continue;
      out.line(chalk.bold.cyan(`▸ ${step.title}`));
      out.wrapped('', chalk.gray(step.why), '');
      settings = { ...settings, ...(await step.ask(prompt, stepCtx)) }; // a step answers for its keys entirely
      out.line();
    }

    const obs = await readServer(ctx, settings, env);
    // The wizard asks on its own prompts, even with --yes: the plan is what it exists to show.
    const consent = async (question: string) => {
      const yes = await prompt.confirm({ message: question, default: false });
      if (yes) out.line();
      return yes;
    };
    const { code, outcome } = await runSession(sessionOf(ctx, { show: 'plan', consent }), hardeningPlan(ctx, obs, settings));
    if (outcome) nextSteps(ctx, settings, code);
    return code;
  });
}

function describeServer(ctx: Context, env: ServerEnv, discovery: Discovery): void {
  const { out } = ctx;
  out.line(`Found ZCS ${formatVersion(env.version)} on ${chalk.bold(env.hostname)}${ctx.host.simulated ? chalk.gray(` (simulated, ${ctx.host.root})`) : ''}`);
  out.line(`  ${discovery.domains.length} domain${discovery.domains.length === 1 ? '' : 's'}: ${discovery.domains.map((d) => `${d} (${discovery.accountsByDomain[d]?.length ?? 0} accounts)`).join(', ')}`);
  out.line();
}

function nextSteps(ctx: Context, settings: Settings, code: number): void {
  const { out } = ctx;
  out.line();
  out.line(chalk.bold('Next'));
  if (code !== EXIT.ok) {
    out.line(`  Fix what failed above, then run the wizard again: it only does what is still missing.`);
    return;
  }
  if (settings.restart === 'none') out.line('  Restart the MTA and cbpolicyd when you can: as zimbra, zmmtactl restart && zmcbpolicydctl restart');
  out.line(`  Send a test mail from a webmail account and check /var/log/zimbra.log for "status=sent".`);
  out.line(`  Audit it any day:   ${suggestCommand(ctx.host.root, 'audit')}`);
  out.line(`  Settings saved in:  ${ctx.configPath} (re-run without questions: ${suggestCommand(ctx.host.root, 'apply -n')})`);
}
