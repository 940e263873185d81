/**
 * The control ids `skip` accepts, apart from the controls themselves: checking a setting must not
 * load every control (a monitor run from cron reads the config file too). test/unit/control-ids.test.ts
 * keeps this list equal to the controls' own ids.
 */
export const CONTROL_IDS: readonly string[] = [
  'catch-all',
  'cbpolicyd-service',
  'postfix-policy',
  'webui-db',
  'policyd-quota',
  'sender-login-match',
  'webui-exposure',
  'monitor-cron',
  'restart',
];
