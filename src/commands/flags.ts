import { Option, type Command } from 'commander';

/** Raw setting flags as commander parses them (see settings-flags.ts for their meaning). */
export interface SettingFlags {
  catchAll?: string[];
  restart?: 'services' | 'full' | 'none';
  forceMtaRestriction?: boolean;
  skip?: string[];
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

/** The flags that set hardening settings; each mirrors a config key (README "Settings"). Kept light: loaded at start-up. */
export function addSettingFlags(command: Command): Command {
  return command
    .option('--catch-all <domain=account>', 'catch-all account of a domain, repeatable (config: catchAll)', collect)
    .addOption(new Option('--restart <strategy>', 'services (default), full or none (config: restart)').choices(['services', 'full', 'none']))
    .option('--force-mta-restriction', "also write the recipe's literal zimbraMtaRestriction on 8.0+ (config: forceMtaRestriction)")
    .option('--skip <id>', 'leave a control alone, repeatable (config: skip)', collect)
    .option('--quota <n>', 'at most N recipients per period per account, default 100 (config: quota.limit)')
    .option('--quota-period <seconds>', 'the period of --quota, default 3600 (config: quota.periodSeconds)')
    .addOption(new Option('--quota-style <style>', "per-account (default) or recipe: the recipe's literal quota (config: quota.style)").choices(['per-account', 'recipe']))
    .option('--sender-login-match', 'SMTP AUTH users may only send as their own addresses, 8.5+ (config: senderLoginMatch)')
    .option('--no-sender-login-match', 'leave sender/login matching off (config: senderLoginMatch: false)')
    .option('--webui-allow <cidr>', 'admin network allowed to open the cbpolicyd web UI besides loopback, repeatable (config: webuiAllow)', collect)
    .option('--report-to <address>', 'who receives the log monitor reports; installs the monitor cron job (config: monitor.reportTo)')
    .option('--monitor-interval <minutes>', 'minutes between two monitor runs, default 10 (config: monitor.intervalMinutes)')
    .option('--smtp-host <host>', 'where the monitor mails its reports, default 127.0.0.1 (config: monitor.smtpHost)')
    .option('--smtp-port <port>', 'port of --smtp-host, default 25 (config: monitor.smtpPort)')
    .addOption(new Option('--smtp-security <mode>', 'auto (STARTTLS when offered, default), starttls, tls or none (config: monitor.smtpSecurity)').choices(['auto', 'starttls', 'tls', 'none']))
    .option('--smtp-user <login>', 'login on the smarthost (config: monitor.smtpUser)')
    .option('--smtp-password-file <file>', 'file holding the smarthost password, never the password itself (config: monitor.smtpPasswordFile)')
    .option('--syslog', 'also write monitor reports to syslog (config: monitor.syslog)')
    .option('--no-syslog', 'do not write monitor reports to syslog (config: monitor.syslog: false)')
    .option('--webhook-url <url>', 'also POST monitor reports as JSON to this URL (config: monitor.webhookUrl)');
}
