import type { WizardStep } from '../step.js';
import { catchAllStep } from './catch-all.js';
import { restartStep } from './restart.js';

/** The wizard's questions, in order. Restart comes last: it depends on what the others change. */
export const WIZARD_STEPS: readonly WizardStep[] = [catchAllStep, restartStep];
