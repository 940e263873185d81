import { Option, type Command } from 'commander';

/** Raw setting flags as commander parses them (see settings-flags.ts for their meaning). */
export interface SettingFlags {
  catchAll?: string[];
  restart?: 'services' | 'full' | 'none';
  forceMtaRestriction?: boolean;
  skip?: string[];
  only?: string[];
  quota?: string;
  quotaPeriod?: string;
  quotaStyle?: 'per-account' | 'recipe';
  senderLoginMatch?: boolean;
  webuiAllow?: string[];
  reportTo?: string;
  monitorInterval?: string;
  smtpHost?: string;
  smtpPort?: string;
  smtpSecurity?: 'auto' | 'starttls' | 'tls' | 'none';
  smtpUser?: string;
  smtpPasswordFile?: string;
  syslog?: boolean;
  webhookUrl?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The flags that set hardening settings; each mirrors a config key (README "Settings"). Kept light:
 * loaded at start-up. An audit checks the settings but never restarts nor installs anything, so its
 * help says so and it has no --restart.
 */
export function addSettingFlags(command: Command, mode: 'plan' | 'apply' | 'audit' = 'apply'): Command {
  const audit = mode === 'audit';
  command
    .option('--catch-all <domain=account>', 'catch-all account of a domain, repeatable (config: catchAll)', collect);
  if (!audit) command.addOption(new Option('--restart <strategy>', 'services (default), full or none (config: restart)').choices(['services', 'full', 'none']));
  command
    .option('--force-mta-restriction', "also write the recipe's literal zimbraMtaRestriction on 8.0+ (config: forceMtaRestriction)")
    .option('--skip <id>', 'leave a control alone, repeatable (config: skip)', collect)
    .option('--only <id>', 'run only this control, repeatable: every other one is skipped (config: skip); the restart follows what it changes', collect)
    .option('--quota <n>', 'at most N recipients per period per account, default 100 (config: quota.limit)')
    .option('--quota-period <seconds>', 'the period of --quota, default 3600 (config: quota.periodSeconds)')
    .addOption(new Option('--quota-style <style>', "per-account (default) or recipe: the recipe's literal quota (config: quota.style)").choices(['per-account', 'recipe']))
    .option('--sender-login-match', 'SMTP AUTH users may only send as their own addresses, 8.5+; off unless given: users sending as undeclared addresses get 553 (config: senderLoginMatch)')
    .option('--no-sender-login-match', 'leave sender/login matching off (config: senderLoginMatch: false)')
    .option('--webui-allow <cidr>', 'admin network allowed to open the cbpolicyd web UI besides loopback, repeatable (config: webuiAllow)', collect)
    .option(
      '--report-to <address>',
      audit ? 'check that the monitor cron job is installed for this address (config: monitor.reportTo)' : 'who receives the log monitor reports; installs the monitor cron job (config: monitor.reportTo)',
    )
    .option('--monitor-interval <minutes>', `minutes between two monitor runs, default 10${audit ? ', as the cron job should say' : ''} (config: monitor.intervalMinutes)`);
  // Where the reports go is saved for the monitor by apply; an audit has nothing to check in it.
  if (!audit) addReportChannelFlags(command);
  return command;
}

function addReportChannelFlags(command: Command): void {
  command
    .option('--smtp-host <host>', 'where the monitor mails its reports, default 127.0.0.1 (config: monitor.smtpHost)')
    .option('--smtp-port <port>', 'port of --smtp-host, default 25 (config: monitor.smtpPort)')
    .addOption(new Option('--smtp-security <mode>', 'auto (STARTTLS when offered, default), starttls, tls or none (config: monitor.smtpSecurity)').choices(['auto', 'starttls', 'tls', 'none']))
    .option('--smtp-user <login>', 'login on the smarthost (config: monitor.smtpUser)')
    .option('--smtp-password-file <file>', 'file holding the smarthost password, never the password itself (config: monitor.smtpPasswordFile)')
    .option('--syslog', 'also write monitor reports to syslog (config: monitor.syslog)')
    .option('--no-syslog', 'do not write monitor reports to syslog (config: monitor.syslog: false)')
    .option('--webhook-url <url>', 'also POST monitor reports as JSON to this URL (config: monitor.webhookUrl)');
}
