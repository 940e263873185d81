/**
 * Every setting, declared once: its flag, its place in the config file (the table has the file's
 * shape), its type, range and default, its help text and the wizard's question. The commander
 * options (commands/flags.ts), the config schema (settings.ts), the checks (settings-check.ts) and
 * the wizard's "(--flag)" hints are derived from it. A new setting is one entry here.
 * Plain data on purpose: this module loads at start-up, before any command runs (no zod).
 */

interface Base {
  /** The flag that sets it; config-only settings have none. */
  flag?: string;
  /** Commander's argument name: `--quota <n>`; upper-cased in the wizard's hint when `hintArg`. */
  arg?: string;
  /** Help of the flag (`{default}` stands for the default); "(config: KEY)" is appended. */
  help?: string;
  /** Which commands take the flag: every settings command (plan, apply, audit, wizard), those that change something (not audit), or incident and contain. */
  on?: 'settings' | 'changes' | 'incident';
  /** The audit's help, where an audit reads the setting differently. */
  auditHelp?: string;
  /** The wizard's question (`{…}` filled in by the step); the hint "(--flag)" is appended. */
  question?: string;
  /** The wizard's hint names the argument too: "(--quota N)". */
  hintArg?: boolean;
}

/** A whole number in a range. */
export interface CountOption extends Base {
  kind: 'count';
  min: number;
  max: number;
  default?: number;
  /** What the number is, for "… is not a number of minutes from 1 to 59". */
  what: string;
  /** The range in words, where "from MIN to MAX" says too little. */
  range?: string;
}

export interface ChoiceOption extends Base {
  kind: 'choice';
  choices: readonly [string, ...string[]];
  default?: string;
}

export interface TextOption extends Base {
  kind: 'text';
  default?: string;
}

/** Repeatable flag; an array in the config file. */
export interface ListOption extends Base {
  kind: 'list';
  default?: readonly string[];
}

export interface SwitchOption extends Base {
  kind: 'switch';
  default?: boolean;
  /** Help of `--no-FLAG`, when the flag has that form too. */
  negation?: string;
}

/** `--catch-all DOMAIN=ACCOUNT`, repeatable: `[{ domain, account }]` in the config file. */
export interface CatchAllOption extends Base {
  kind: 'catch-all';
  default?: undefined;
}

export type SettingOption = CountOption | ChoiceOption | TextOption | ListOption | SwitchOption | CatchAllOption;
export interface OptionTable {
  [name: string]: SettingOption | OptionTable;
}

export const SMTP_SECURITY = ['auto', 'starttls', 'tls', 'none'] as const;
/** Not `mail` nor `local0`: Zimbra sends those to /var/log/zimbra.log, which the monitor reads. */
export const SYSLOG_FACILITIES = ['daemon', 'user', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'] as const;

/** In the order of the config file and of the help. Config-only keys of `monitor` with a nested shape (thresholds, allowances) are in settings.ts. */
export const SETTINGS = {
  catchAll: {
    kind: 'catch-all',
    flag: '--catch-all',
    arg: 'domain=account',
    help: 'catch-all account of a domain, repeatable',
    question: 'Which domains get a catch-all?',
    hintArg: true,
  },
  restart: {
    kind: 'choice',
    flag: '--restart',
    arg: 'strategy',
    on: 'changes',
    choices: ['services', 'full', 'none'],
    default: 'services',
    help: 'services (default), full or none',
    question: 'How should changed services be restarted?',
  },
  /** Write the recipe's literal `zimbraMtaRestriction` even where zmconfigd ignores it (8.0+). */
  forceMtaRestriction: {
    kind: 'switch',
    flag: '--force-mta-restriction',
    help: "also write the recipe's literal zimbraMtaRestriction on 8.0+",
  },
  /** Control ids to leave alone (`--only` sets it too: commands/flags.ts). */
  skip: { kind: 'list', flag: '--skip', arg: 'id', help: 'leave a control alone, repeatable' },
  quota: {
    /** At most this many recipients per period and user. */
    limit: {
      kind: 'count',
      flag: '--quota',
      arg: 'n',
      min: 1,
      max: 1_000_000,
      default: 100,
      what: 'a number of recipients',
      help: 'at most N recipients per period per account, default {default}',
      question: 'At most how many recipients may one account send to {period}?',
      hintArg: true,
    },
    periodSeconds: {
      kind: 'count',
      flag: '--quota-period',
      arg: 'seconds',
      min: 60,
      max: 2_592_000,
      default: 3600,
      what: 'a period',
      range: 'from 60 s to 30 days (2592000 s; cbpolicyd forgets counters after 30 days)',
      help: 'the period of --quota, default {default}',
    },
    style: {
      kind: 'choice',
      flag: '--quota-style',
      arg: 'style',
      choices: ['per-account', 'recipe'],
      default: 'per-account',
      help: "per-account (default) or recipe: the recipe's literal quota",
    },
  },
  senderLoginMatch: {
    kind: 'switch',
    flag: '--sender-login-match',
    help: 'SMTP AUTH users may only send as their own addresses, 8.5+; off unless given: users sending as undeclared addresses get 553',
    negation: 'leave sender/login matching off',
    question: 'Let SMTP AUTH users send only as their own addresses, aliases and allowed-from addresses?',
  },
  webuiAllow: {
    kind: 'list',
    flag: '--webui-allow',
    arg: 'cidr',
    help: 'admin network allowed to open the cbpolicyd web UI besides loopback, repeatable',
    question: 'Admin networks that may open the cbpolicyd web UI besides this server, comma-separated, empty for none',
    hintArg: true,
  },
  monitor: {
    /** Address that receives monitor reports. */
    reportTo: {
      kind: 'text',
      flag: '--report-to',
      arg: 'address',
      help: 'who receives the log monitor reports; installs the monitor cron job',
      auditHelp: 'check that the monitor cron job is installed for this address',
      question: "Which address receives the log monitor's reports? Leave empty for no monitor.",
    },
    /** Minutes between two runs from cron. */
    intervalMinutes: {
      kind: 'count',
      flag: '--monitor-interval',
      arg: 'minutes',
      min: 1,
      max: 59,
      default: 10,
      what: 'a number of minutes',
      help: 'minutes between two monitor runs, default {default}',
      auditHelp: 'minutes between two monitor runs, default {default}, as the cron job should say',
      question: 'How often should the monitor read the logs, in minutes?',
    },
    smtpHost: { kind: 'text', flag: '--smtp-host', arg: 'host', on: 'changes', default: '127.0.0.1', help: 'where the monitor mails its reports, default {default}' },
    smtpPort: { kind: 'count', flag: '--smtp-port', arg: 'port', on: 'changes', min: 1, max: 65535, default: 25, what: 'a port', help: 'port of --smtp-host, default {default}' },
    /** auto: STARTTLS when offered (required when logging in to another host); starttls: always; tls: TLS from the first byte (465); none. */
    smtpSecurity: {
      kind: 'choice',
      flag: '--smtp-security',
      arg: 'mode',
      on: 'changes',
      choices: SMTP_SECURITY,
      default: 'auto',
      help: 'auto (STARTTLS when offered, default), starttls, tls or none',
    },
    /** Login on the smarthost; the password is read from smtpPasswordFile, never kept in this file. */
    smtpUser: { kind: 'text', flag: '--smtp-user', arg: 'login', on: 'changes', help: 'login on the smarthost' },
    /** File holding the smarthost password (first line), readable by root only. */
    smtpPasswordFile: {
      kind: 'text',
      flag: '--smtp-password-file',
      arg: 'file',
      on: 'changes',
      help: 'file holding the smarthost password, never the password itself',
    },
    /** Also write each report to syslog through /dev/log (tag zimbra-harden, priority warning). */
    syslog: {
      kind: 'switch',
      flag: '--syslog',
      on: 'changes',
      default: false,
      help: 'also write monitor reports to syslog',
      negation: 'do not write monitor reports to syslog',
    },
    syslogFacility: { kind: 'choice', choices: SYSLOG_FACILITIES, default: 'daemon' },
    /** POST each report as JSON to this http(s) URL (Slack/Mattermost-compatible `text` field included). */
    webhookUrl: { kind: 'text', flag: '--webhook-url', arg: 'url', on: 'changes', help: 'also POST monitor reports as JSON to this URL' },
    /** Sender address of the report; default root@<hostname>. */
    reportFrom: { kind: 'text' },
    /** Addresses or @domains that are ours besides the server's domains (e.g. a spam-collecting address). */
    ownAddresses: { kind: 'list', default: [] },
  },
  /** `incident`: where and how to check the block lists. */
  incident: {
    /** DNS block-list zones to check (default: zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org, psbl.surriel.com, bl.mailspike.net). */
    blocklists: { kind: 'list', flag: '--blocklist', arg: 'zone', on: 'incident', help: 'DNS block list to check, repeatable; replaces the default set' },
    /** Resolvers to ask (`ADDRESS` or `ADDRESS:PORT`); default: the system's. Spamhaus refuses public resolvers. */
    resolvers: { kind: 'list', flag: '--resolver', arg: 'address', on: 'incident', help: 'DNS resolver for the block lists, ADDRESS[:PORT], repeatable (default: the system’s)' },
    /** The server's public IPv4 address, when it cannot be found (NAT). */
    publicIp: { kind: 'text', flag: '--ip', arg: 'address', on: 'incident', help: "the server's public IPv4 address to look up (default: found from Postfix and DNS)" },
  },
} as const satisfies OptionTable;

/** A setting with its key in the config file (`quota.limit`). */
export interface KeyedOption {
  key: string;
  option: SettingOption;
}

function isOption(entry: SettingOption | OptionTable): entry is SettingOption {
  return typeof entry.kind === 'string';
}

function flatten(table: OptionTable, prefix: string): KeyedOption[] {
  return Object.entries(table).flatMap(([name, entry]) => (isOption(entry) ? [{ key: `${prefix}${name}`, option: entry }] : flatten(entry, `${prefix}${name}.`)));
}

/** Every setting, in the table's order. */
export const OPTIONS: readonly KeyedOption[] = flatten(SETTINGS, '');

const KEY_OF = new Map<SettingOption, string>(OPTIONS.map(({ key, option }) => [option, key]));

/** The config key of a setting of the table. */
export function keyOf(option: SettingOption): string {
  const key = KEY_OF.get(option);
  if (key === undefined) throw new Error('not a setting of the option table');
  return key;
}

/** The flag that sets a config key (`catchAll[1].domain` → `--catch-all`); undefined for config-only keys. */
export function flagOfKey(key: string): string | undefined {
  let best: KeyedOption | undefined;
  for (const entry of OPTIONS) {
    if ((key === entry.key || key.startsWith(`${entry.key}.`) || key.startsWith(`${entry.key}[`)) && (!best || entry.key.length > best.key.length)) best = entry;
  }
  return best?.option.flag;
}

/** The help text of a flag: its own words, its default, and its config key. */
export function helpOf(option: SettingOption, audit = false): string {
  const text = (audit && option.auditHelp) || option.help || '';
  return `${text.replace('{default}', String(option.default ?? ''))} (config: ${keyOf(option)})`;
}

/** The wizard's question with its hint, "(--quota N)"; `fill` gives the `{…}` parts of the question. */
export function questionOf(option: SettingOption, fill: Record<string, string> = {}): string {
  const text = (option.question ?? '').replace(/\{(\w+)\}/g, (_, name: string) => fill[name] ?? '');
  return `${text} (${flagHint(option, option.hintArg ? option.arg?.toUpperCase() : undefined)})`;
}

/** "--catch-all DOMAIN=ACCOUNT": the flag, with an argument as the wizard shows it. */
export function flagHint(option: SettingOption, arg?: string): string {
  return arg === undefined ? (option.flag ?? keyOf(option)) : `${option.flag ?? keyOf(option)} ${arg}`;
}

/** Why a number is refused for this setting, or undefined. */
export function countProblem(option: CountOption, value: number): string | undefined {
  if (Number.isInteger(value) && value >= option.min && value <= option.max) return undefined;
  return `${value} is not ${option.what} ${option.range ?? `from ${option.min} to ${option.max}`}`;
}

/** The wizard's answer to a count question: true, or what to enter. */
export function countAnswer(option: CountOption, answer: string): true | string {
  const v = answer.trim();
  return /^\d+$/.test(v) && countProblem(option, Number(v)) === undefined ? true : `Enter a whole number from ${option.min} to ${option.max}`;
}
