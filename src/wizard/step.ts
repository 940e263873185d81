import type { Settings } from '../core/settings.js';
import type { ServerEnv } from '../core/types.js';
import type { Discovery } from './discover.js';
import type { Prompter } from './prompter.js';

export interface StepContext {
  env: ServerEnv;
  discovery: Discovery;
  /** Answers so far: config file and flags, then earlier steps. Defaults of every prompt. */
  settings: Settings;
}

/** One question group of the wizard. Adding a setting to the wizard is adding one of these. */
export interface WizardStep {
  id: string;
  title: string;
  /** One or two sentences: the threat this step stops, in plain words. */
  why: string;
  /** Whether the step applies (e.g. a version too old for it). */
  applies?(ctx: StepContext): boolean;
  ask(prompt: Prompter, ctx: StepContext): Promise<Partial<Settings>>;
}
