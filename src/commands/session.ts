/** The apply session (core/session.ts) as the commands run it: shown on this context's output, asked through its prompt. */
import { observe, type Observation } from '../core/engine.js';
import type { Session, SessionPlan } from '../core/session.js';
import type { Settings } from '../core/settings.js';
import type { ServerEnv } from '../core/types.js';
import { CONTROLS } from '../controls/index.js';
import { applyQuestion, createSessionView } from '../ui/session-view.js';
import { withSpinner } from '../ui/spinner.js';
import { consentToChange } from './consent.js';
import type { Context } from './context.js';

export function sessionOf(ctx: Context, options: { show?: 'apply' | 'plan'; consent?: (question: string) => Promise<boolean> } = {}): Session {
  return {
    host: ctx.host,
    view: createSessionView(ctx.out, { place: ctx.host, interactive: ctx.interactive, show: options.show }),
    consent: options.consent ?? ((question) => consentToChange(ctx, question)),
    detailedExitcode: ctx.options.detailedExitcode,
  };
}

/** What every hardening control would do with these settings (plan, apply, audit, the wizard: with the server it already detected). */
export function readServer(ctx: Context, settings: Settings, detected?: ServerEnv): Promise<Observation> {
  return withSpinner(ctx.out, 'Reading the server', observe(ctx.host, settings, CONTROLS, ctx.options.config ? ctx.configPath : undefined, detected));
}

/** The hardening plan as a session applies it: verified by its controls, its settings saved for later runs. */
export function hardeningPlan(ctx: Context, obs: Observation, settings: Settings): SessionPlan {
  return {
    command: 'apply',
    obs,
    question: (changes) => applyQuestion(changes, obs.env.hostname),
    controls: CONTROLS,
    save: { path: ctx.configPath, settings },
  };
}
