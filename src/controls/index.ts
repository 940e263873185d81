import type { Control } from '../core/types.js';
import { catchAllControl } from './catch-all.js';
import { cbpolicydServiceControl } from './cbpolicyd-service.js';
import { policydQuotaControl } from './policyd-quota.js';
import { postfixPolicyControl } from './postfix-policy.js';
import { senderLoginMatchControl } from './sender-login-match.js';
import { webuiDbControl } from './webui-db.js';
import { webuiExposureControl } from './webui-exposure.js';
import { monitorCronControl } from './monitor-cron.js';

/** Every control, in the order they are planned and applied. */
export const CONTROLS: readonly Control[] = [
  catchAllControl,
  cbpolicydServiceControl,
  postfixPolicyControl,
  webuiDbControl,
  policydQuotaControl,
  senderLoginMatchControl,
  webuiExposureControl,
  monitorCronControl,
];

export { CONTROL_IDS } from './ids.js';
