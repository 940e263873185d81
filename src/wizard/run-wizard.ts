import chalk from 'chalk';
import { observe } from '../core/engine.js';
import { acquireLock } from '../core/lock.js';
import type { Settings } from '../core/settings.js';
import { CONTROLS } from '../controls/index.js';
import { applyQuestion, executePlan, APPLY_LOCK, settle, showObservation } from '../commands/apply.js';
import { withSpinner } from '../ui/spinner.js';
import type { Context } from '../commands/context.js';
import { suggestCommand } from '../ui/suggest.js';
import { resolveSettings } from '../commands/prepare.js';
import { mergeSettings, type SettingFlags } from '../commands/settings-flags.js';
import { EXIT } from '../errors.js';
import { formatVersion } from '../zimbra/version.js';
import { recapLine } from '../ui/render-items.js';
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
  const lock = await acquireLock(host, APPLY_LOCK, 'zimbra-harden apply');
  try {
    if (settings.catchAll !== undefined) {
      const audit = await withSpinner(out, 'Reading the server', observe(host, settings, CONTROLS, ctx.options.config ? ctx.configPath : undefined));
      const r = showObservation(ctx, audit, 'audit');
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

    const obs = await withSpinner(out, 'Reading the server', observe(host, settings, CONTROLS, ctx.options.config ? ctx.configPath : undefined));
    out.line(chalk.bold('The plan'));
    const planned = showObservation(ctx, obs, 'plan');
    out.line(recapLine(planned, 'plan'));
    if (planned.failed > 0 || planned.changed === 0) return await settle(ctx, settings, obs);
    if (!(await prompt.confirm({ message: applyQuestion(planned.changed, env.hostname), default: false }))) {
      out.line('Nothing was changed.');
      return EXIT.ok;
    }
    out.line();
    const code = await executePlan(ctx, obs, settings);
    nextSteps(ctx, settings, code);
    return code;
  } finally {
    await lock.release();
  }
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
