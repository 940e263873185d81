import * as z from 'zod';

/** Catch-all: mail to unknown addresses of `domain` is kept in `account` instead of bounced. */
export const catchAllSchema = z.object({
  domain: z.string(),
  account: z.string(),
});

export const monitorThresholdsSchema = z.object({
  /** Recipients per hour from one account above which it is flagged as stolen. */
  recipientsPerHour: z.number().int().positive().default(300),
  /** Distinct outside recipients in the window above which an account is flagged. */
  distinctRecipients: z.number().int().positive().default(100),
  /** Distinct client networks (/16 IPv4, /48 IPv6: a stand-in for countries) logging in to one account within the window. */
  distinctClientIps: z.number().int().positive().default(5),
  /** Bounces to senders we never mailed, per window, before a backscatter episode is reported (a few dozen an hour already is one). */
  backscatterBounces: z.number().int().positive().default(20),
  /** Messages deferred for the first time, per window, before a growing queue is reported (rate limiting and DNS failures: 10). */
  deferrals: z.number().int().positive().default(200),
  /** Window, in minutes, the rates above are measured over. */
  windowMinutes: z.number().int().positive().default(60),
});

export const SMTP_SECURITY = ['auto', 'starttls', 'tls', 'none'] as const;
/** Not `mail` nor `local0`: Zimbra sends those to /var/log/zimbra.log, which the monitor reads. */
export const SYSLOG_FACILITIES = ['daemon', 'user', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'] as const;

export const monitorSchema = z.object({
  /** Address that receives monitor reports. */
  reportTo: z.string().optional(),
  /** Minutes between two runs from cron. */
  intervalMinutes: z.number().int().min(1).max(59).default(10),
  smtpHost: z.string().default('127.0.0.1'),
  smtpPort: z.number().int().min(1).max(65535).default(25),
  /** auto: STARTTLS when offered (required when logging in to another host); starttls: always; tls: TLS from the first byte (465); none. */
  smtpSecurity: z.enum(SMTP_SECURITY).default('auto'),
  /** Login on the smarthost; the password is read from smtpPasswordFile, never kept in this file. */
  smtpUser: z.string().optional(),
  /** File holding the smarthost password (first line), readable by root only. */
  smtpPasswordFile: z.string().optional(),
  /** Also write each report to syslog through /dev/log (tag zimbra-harden, priority warning). */
  syslog: z.boolean().default(false),
  syslogFacility: z.enum(SYSLOG_FACILITIES).default('daemon'),
  /** POST each report as JSON to this http(s) URL (Slack/Mattermost-compatible `text` field included). */
  webhookUrl: z.string().optional(),
  /** Sender address of the report; default root@<hostname>. */
  reportFrom: z.string().optional(),
  /** Addresses or @domains that are ours besides the server's domains (e.g. a spam-collecting address). */
  ownAddresses: z.array(z.string()).default([]),
  thresholds: monitorThresholdsSchema.default(monitorThresholdsSchema.parse({})),
  /** Recipients per hour that a known high-volume account may send without being flagged (account → number). */
  allowances: z.record(z.string(), z.number().int().positive()).default({}),
});

/** `incident`: where and how to check the block lists. */
export const incidentSchema = z.object({
  /** DNS block-list zones to check (default: zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org, psbl.surriel.com, bl.mailspike.net). */
  blocklists: z.array(z.string()).optional(),
  /** Resolvers to ask (`ADDRESS` or `ADDRESS:PORT`); default: the system's. Spamhaus refuses public resolvers. */
  resolvers: z.array(z.string()).optional(),
  /** The server's public IPv4 address, when it cannot be found (NAT). */
  publicIp: z.string().optional(),
});

/** Every setting of zimbra-harden, as kept in the config file (flags override it). */
export const settingsSchema = z
  .object({
    $schema: z.string().optional(),
    catchAll: z.array(catchAllSchema).optional(),
    restart: z.enum(['services', 'full', 'none']).optional(),
    /** Write the recipe's literal `zimbraMtaRestriction` even where zmconfigd ignores it (8.0+). */
    forceMtaRestriction: z.boolean().optional(),
    /** Control ids to leave alone. */
    skip: z.array(z.string()).optional(),
    quota: z
      .object({
        /** At most this many recipients per period and user. */
        limit: z.number().int().positive().optional(),
        periodSeconds: z.number().int().positive().optional(),
        style: z.enum(['per-account', 'recipe']).optional(),
      })
      .optional(),
    senderLoginMatch: z.boolean().optional(),
    webuiAllow: z.array(z.string()).optional(),
    monitor: monitorSchema.optional(),
    incident: incidentSchema.optional(),
  })
  .strict();

export type Settings = z.infer<typeof settingsSchema>;
export type CatchAll = z.infer<typeof catchAllSchema>;
export type MonitorSettings = z.infer<typeof monitorSchema>;
export type IncidentSettings = z.infer<typeof incidentSchema>;
export type MonitorThresholds = z.infer<typeof monitorThresholdsSchema>;

export { DEFAULT_CONFIG_PATH } from './config-path.js';
