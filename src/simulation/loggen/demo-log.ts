import { writeZimbraLog, type LogGenSummary } from './generate.js';

export interface DemoLogOptions {
  domains: string[];
  /** The sandbox's accounts (default: made-up ones in the domains). */
  accounts?: string[];
  /** The account whose password was stolen (default: the first account, or relay.victim@<first domain>). */
  compromised?: string;
  /** The log's last line (default: now, so `monitor --since 2h` sees the incident). */
  end?: Date;
  seed?: number;
}

/**
 * Fills a sandbox's zimbra.log with six hours of ordinary traffic and, in the last hour, one
 * compromised account relaying spam with forged senders (the recipe's case).
 */
export async function writeDemoLog(mailLogHostPath: string, options: DemoLogOptions): Promise<LogGenSummary & { compromised: string }> {
  const end = options.end ?? new Date();
  const hours = 6;
  const compromised = options.compromised ?? options.accounts?.[0] ?? `relay.victim@${options.domains[0]}`;
  const summary = await writeZimbraLog(
    {
      seed: options.seed ?? 2024,
      start: new Date(end.getTime() - hours * 3600_000),
      hours,
      domains: options.domains,
      accounts: options.accounts,
      messagesPerHour: 60,
      incidents: [{ type: 'forged-relay', account: compromised, atMinute: hours * 60 - 50, messages: 30, recipientsPerMessage: 25, minutes: 40 }],
    },
    { mail: mailLogHostPath },
  );
  return { ...summary, compromised };
}
