import type { WizardStep } from '../step.js';
import { catchAllStep } from './catch-all.js';
import { monitorStep } from './monitor.js';
import { quotaStep } from './quota.js';
import { restartStep } from './restart.js';
import { senderLoginMatchStep } from './sender-login-match.js';
import { webuiAccessStep } from './webui-access.js';

/** The wizard's questions, in order. Restart comes last: it depends on what the others change. */
export const WIZARD_STEPS: readonly WizardStep[] = [catchAllStep, quotaStep, senderLoginMatchStep, webuiAccessStep, monitorStep, restartStep];
