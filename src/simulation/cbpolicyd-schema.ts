/**
 * The cbpolicyd (PolicyD 2.1.0.0) SQLite database as zmcbpolicydinit builds it: the module
 * schemas converted for SQLite (serial → INTEGER PRIMARY KEY AUTOINCREMENT, references → INT8,
 * big unsigned → UNSIGNED BIG INT, track keys → VARCHAR(512)), their default rows, and since
 * ZCS 8.8.8 the internal_domains / internal_ips seeding from the directory.
 */
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

const SERIAL = 'INTEGER PRIMARY KEY AUTOINCREMENT';
const REF = 'INT8';
const BIG = 'UNSIGNED BIG INT';
const FLAG = "SMALLINT NOT NULL DEFAULT '0'";

const table = (name: string, columns: string[]) => `CREATE TABLE ${name} (\n\t${columns.join(',\n\t')}\n);`;
const fk = (column: string, target: string) => `FOREIGN KEY (${column}) REFERENCES ${target}(ID)`;

/** Tables and default rows, module by module, in zmcbpolicydinit's order. */
const MODULES: Record<string, string[]> = {
  core: [
    table('policies', [`ID ${SERIAL}`, 'Name VARCHAR(255) NOT NULL', 'Priority SMALLINT NOT NULL', 'Description TEXT', `Disabled ${FLAG}`]),
    "INSERT INTO policies (Name,Priority,Description) VALUES ('Default',0,'Default System Policy');",
    "INSERT INTO policies (Name,Priority,Description) VALUES ('Default Outbound',10,'Default Outbound System Policy');",
    "INSERT INTO policies (Name,Priority,Description) VALUES ('Default Inbound',10,'Default Inbound System Policy');",
    "INSERT INTO policies (Name,Priority,Description) VALUES ('Default Internal',20,'Default Internal System Policy');",
    "INSERT INTO policies (Name,Priority,Description) VALUES ('Test',50,'Test policy');",
    table('policy_members', [`ID ${SERIAL}`, `PolicyID ${REF}`, 'Source TEXT', 'Destination TEXT', 'Comment VARCHAR(1024)', `Disabled ${FLAG}`, fk('PolicyID', 'policies')]),
    'INSERT INTO policy_members (PolicyID,Source,Destination) VALUES (1,NULL,NULL);',
    "INSERT INTO policy_members (PolicyID,Source,Destination) VALUES (2,'%internal_ips,%internal_domains','!%internal_domains');",
    "INSERT INTO policy_members (PolicyID,Source,Destination) VALUES (3,'!%internal_ips,!%internal_domains','%internal_domains');",
    "INSERT INTO policy_members (PolicyID,Source,Destination) VALUES (4,'%internal_ips,%internal_domains','%internal_domains');",
    "INSERT INTO policy_members (PolicyID,Source,Destination) VALUES (5,'@example.net',NULL);",
    table('policy_groups', [`ID ${SERIAL}`, 'Name VARCHAR(255) NOT NULL', `Disabled ${FLAG}`, 'Comment VARCHAR(1024)', 'UNIQUE (Name)']),
    "INSERT INTO policy_groups (Name) VALUES ('internal_ips');",
    "INSERT INTO policy_groups (Name) VALUES ('internal_domains');",
    table('policy_group_members', [`ID ${SERIAL}`, `PolicyGroupID ${REF}`, 'Member VARCHAR(255) NOT NULL', `Disabled ${FLAG}`, 'Comment VARCHAR(1024)', fk('PolicyGroupID', 'policy_groups')]),
    "INSERT INTO policy_group_members (PolicyGroupID,Member) VALUES (1,'10.0.0.0/8');",
    "INSERT INTO policy_group_members (PolicyGroupID,Member) VALUES (2,'@example.org');",
    "INSERT INTO policy_group_members (PolicyGroupID,Member) VALUES (2,'@example.com');",
    table('session_tracking', [
      'Instance VARCHAR(255)',
      'QueueID VARCHAR(255)',
      'UnixTimestamp BIGINT NOT NULL',
      'ClientAddress VARCHAR(64)',
      'ClientName VARCHAR(255)',
      'ClientReverseName VARCHAR(255)',
      'Protocol VARCHAR(255)',
      'EncryptionProtocol VARCHAR(255)',
      'EncryptionCipher VARCHAR(255)',
      'EncryptionKeySize VARCHAR(255)',
      'SASLMethod VARCHAR(255)',
      'SASLSender VARCHAR(255)',
      'SASLUsername VARCHAR(255)',
      'Helo VARCHAR(255)',
      'Sender VARCHAR(255)',
      `Size ${BIG}`,
      'RecipientData TEXT',
      'UNIQUE (Instance)',
    ]),
    'CREATE INDEX session_tracking_idx1 ON session_tracking (QueueID,ClientAddress,Sender);',
    'CREATE INDEX session_tracking_idx2 ON session_tracking (UnixTimestamp);',
  ],
  access_control: [
    table('access_control', [`ID ${SERIAL}`, `PolicyID ${REF}`, 'Name VARCHAR(255) NOT NULL', 'Verdict VARCHAR(255)', 'Data TEXT', 'Comment VARCHAR(1024)', `Disabled ${FLAG}`, fk('PolicyID', 'policies')]),
  ],
  accounting: [
    table('accounting', [
      `ID ${SERIAL}`,
      `PolicyID ${REF}`,
      'Name VARCHAR(255) NOT NULL',
      'Track VARCHAR(255) NOT NULL',
      'AccountingPeriod SMALLINT NOT NULL',
      `MessageCountLimit ${BIG}`,
      `MessageCumulativeSizeLimit ${BIG}`,
      'Verdict VARCHAR(255)',
      'Data TEXT',
      `LastAccounting ${FLAG}`,
      'Comment VARCHAR(1024)',
      `Disabled ${FLAG}`,
      fk('PolicyID', 'policies'),
    ]),
    table('accounting_tracking', [
      `AccountingID ${REF}`,
      'TrackKey VARCHAR(512)',
      'PeriodKey VARCHAR(512)',
      `LastUpdate ${BIG}`,
      `MessageCount ${BIG}`,
      `MessageCumulativeSize ${BIG}`,
      'UNIQUE (AccountingID,TrackKey,PeriodKey)',
      fk('AccountingID', 'accounting'),
    ]),
    'CREATE INDEX accounting_tracking_idx1 ON accounting_tracking (LastUpdate);',
  ],
  amavis: [
    table('amavis_rules', [
      `ID ${SERIAL}`,
      `PolicyID ${REF}`,
      'Name VARCHAR(255) NOT NULL',
      ...['bypass_virus_checks', 'bypass_banned_checks', 'bypass_spam_checks', 'bypass_header_checks'].flatMap((c) => [`${c} SMALLINT`, `${c}_m ${FLAG}`]),
      ...['spam_tag_level', 'spam_tag2_level', 'spam_tag3_level', 'spam_kill_level', 'spam_dsn_cutoff_level', 'spam_quarantine_cutoff_level'].flatMap((c) => [`${c} FLOAT`, `${c}_m ${FLAG}`]),
      'spam_modifies_subject SMALLINT',
      `spam_modifies_subject_m ${FLAG}`,
      ...['spam_tag_subject', 'spam_tag2_subject', 'spam_tag3_subject'].flatMap((c) => [`${c} VARCHAR(255)`, `${c}_m ${FLAG}`]),
      'max_message_size BIGINT',
      `max_message_size_m ${FLAG}`,
      ...['banned_files', 'sender_whitelist', 'sender_blacklist'].flatMap((c) => [`${c} TEXT`, `${c}_m ${FLAG}`]),
      ...[
        'notify_admin_newvirus',
        'notify_admin_virus',
        'notify_admin_spam',
        'notify_admin_banned_file',
        'notify_admin_bad_header',
        'quarantine_virus',
        'quarantine_banned_file',
        'quarantine_bad_header',
        'quarantine_spam',
        'bcc_to',
      ].flatMap((c) => [`${c} VARCHAR(255)`, `${c}_m ${FLAG}`]),
      'Comment VARCHAR(1024)',
      `Disabled ${FLAG}`,
      fk('PolicyID', 'policies'),
    ]),
    "INSERT INTO amavis_rules (PolicyID,Name,max_message_size,max_message_size_m,bypass_banned_checks,bypass_banned_checks_m) VALUES (1,'Default system amavis policy',100000,2,1,2);",
  ],
  quotas: [
    table('quotas', [
      `ID ${SERIAL}`,
      `PolicyID ${REF}`,
      'Name VARCHAR(255) NOT NULL',
      'Track VARCHAR(255) NOT NULL',
      `Period ${BIG}`,
      'Verdict VARCHAR(255)',
      'Data TEXT',
      `LastQuota ${FLAG}`,
      'Comment VARCHAR(1024)',
      `Disabled ${FLAG}`,
      fk('PolicyID', 'policies'),
    ]),
    "INSERT INTO quotas (PolicyID,Name,Track,Period,Verdict) VALUES (5,'Recipient quotas','Recipient:user@domain',3600,'REJECT');",
    "INSERT INTO quotas (PolicyID,Name,Track,Period,Verdict) VALUES (5,'Quota on all /24s','SenderIP:/24',3600,'REJECT');",
    table('quotas_limits', [`ID ${SERIAL}`, `QuotasID ${REF}`, 'Type VARCHAR(255)', `CounterLimit ${BIG}`, 'Comment VARCHAR(1024)', `Disabled ${FLAG}`, fk('QuotasID', 'quotas')]),
    "INSERT INTO quotas_limits (QuotasID,Type,CounterLimit) VALUES (1,'MessageCount',10);",
    "INSERT INTO quotas_limits (QuotasID,Type,CounterLimit) VALUES (1,'MessageCumulativeSize',8000);",
    "INSERT INTO quotas_limits (QuotasID,Type,CounterLimit) VALUES (2,'MessageCount',12);",
    table('quotas_tracking', [`QuotasLimitsID ${REF}`, 'TrackKey VARCHAR(512)', `LastUpdate ${BIG}`, 'Counter NUMERIC(10,4)', 'UNIQUE (QuotasLimitsID,TrackKey)', fk('QuotasLimitsID', 'quotas_limits')]),
    'CREATE INDEX quotas_tracking_idx1 ON quotas_tracking (LastUpdate);',
  ],
  checkhelo: [
    table('checkhelo', [
      `ID ${SERIAL}`,
      `PolicyID ${REF}`,
      'Name VARCHAR(255) NOT NULL',
      'UseBlacklist SMALLINT',
      `BlacklistPeriod ${BIG}`,
      'UseHRP SMALLINT',
      `HRPPeriod ${BIG}`,
      `HRPLimit ${BIG}`,
      'RejectInvalid SMALLINT',
      'RejectIP SMALLINT',
      'RejectUnresolvable SMALLINT',
      'Comment VARCHAR(1024)',
      `Disabled ${FLAG}`,
      fk('PolicyID', 'policies'),
    ]),
    table('checkhelo_blacklist', [`ID ${SERIAL}`, 'Helo VARCHAR(255) NOT NULL', 'Comment VARCHAR(1024)', `Disabled ${FLAG}`, 'UNIQUE (Helo)']),
    ...['127.0.0.1', '[127.0.0.1]', 'localhost', 'localhost.localdomain'].map(
      (helo) => `INSERT INTO checkhelo_blacklist (Helo,Comment) VALUES ('${helo}','Blacklist hosts claiming to be ${helo}');`,
    ),
    table('checkhelo_whitelist', [`ID ${SERIAL}`, 'Source VARCHAR(512) NOT NULL', 'Comment VARCHAR(1024)', `Disabled ${FLAG}`, 'UNIQUE (Source)']),
    table('checkhelo_tracking', ['Address VARCHAR(64) NOT NULL', 'Helo VARCHAR(255) NOT NULL', `LastUpdate ${BIG} NOT NULL`, 'UNIQUE (Address,Helo)']),
    'CREATE INDEX checkhelo_tracking_idx1 ON checkhelo_tracking (LastUpdate);',
  ],
  checkspf: [
    table('checkspf', [`ID ${SERIAL}`, `PolicyID ${REF}`, 'Name VARCHAR(255) NOT NULL', 'UseSPF SMALLINT', 'RejectFailedSPF SMALLINT', 'AddSPFHeader SMALLINT', 'Comment VARCHAR(1024)', `Disabled ${FLAG}`, fk('PolicyID', 'policies')]),
  ],
  greylisting: [
    table('greylisting', [
      `ID ${SERIAL}`,
      `PolicyID ${REF}`,
      'Name VARCHAR(255) NOT NULL',
      'UseGreylisting SMALLINT',
      `GreylistPeriod ${BIG}`,
      'Track VARCHAR(255) NOT NULL',
      `GreylistAuthValidity ${BIG}`,
      `GreylistUnAuthValidity ${BIG}`,
      'UseAutoWhitelist SMALLINT',
      `AutoWhitelistPeriod ${BIG}`,
      `AutoWhitelistCount ${BIG}`,
      `AutoWhitelistPercentage ${BIG}`,
      'UseAutoBlacklist SMALLINT',
      `AutoBlacklistPeriod ${BIG}`,
      `AutoBlacklistCount ${BIG}`,
      `AutoBlacklistPercentage ${BIG}`,
      'Comment VARCHAR(1024)',
      `Disabled ${FLAG}`,
      fk('PolicyID', 'policies'),
    ]),
    table('greylisting_whitelist', [`ID ${SERIAL}`, 'Source VARCHAR(255) NOT NULL', 'Comment VARCHAR(1024)', `Disabled ${FLAG}`, 'UNIQUE (Source)']),
    table('greylisting_autowhitelist', [`ID ${SERIAL}`, 'TrackKey VARCHAR(512) NOT NULL', `Added ${BIG} NOT NULL`, `LastSeen ${BIG} NOT NULL`, 'Comment VARCHAR(1024)', 'UNIQUE (TrackKey)']),
    table('greylisting_autoblacklist', [`ID ${SERIAL}`, 'TrackKey VARCHAR(512) NOT NULL', `Added ${BIG} NOT NULL`, 'Comment VARCHAR(1024)', 'UNIQUE (TrackKey)']),
    table('greylisting_tracking', [
      'TrackKey VARCHAR(512) NOT NULL',
      'Sender VARCHAR(255) NOT NULL',
      'Recipient VARCHAR(255) NOT NULL',
      `FirstSeen ${BIG} NOT NULL`,
      `LastUpdate ${BIG} NOT NULL`,
      `Tries ${BIG} NOT NULL`,
      `Count ${BIG} NOT NULL`,
      'UNIQUE(TrackKey,Sender,Recipient)',
    ]),
    'CREATE INDEX greylisting_tracking_idx1 ON greylisting_tracking (LastUpdate,Count);',
  ],
};

/** The order zmcbpolicydinit converts the module templates in. */
export const MODULE_ORDER = ['core', 'access_control', 'accounting', 'amavis', 'quotas', 'checkhelo', 'checkspf', 'greylisting'] as const;

/** The SQL script zmcbpolicydinit feeds to sqlite3 (it keeps it next to the DB as `<db>.sq3`). */
export function policySchemaSql(): string {
  return `${MODULE_ORDER.map((m) => (MODULES[m] as string[]).join('\n')).join('\n\n')}\n`;
}

/**
 * What `zmprov gacf | grep zimbraMtaMyNetworks | sed 's/127.0.0.0\/8 //g' | awk '{ print $NF }'`
 * yields for a zimbraMtaMyNetworks value (one value per line); '' when there is none.
 */
export function lastSubnet(value: string | undefined): string {
  if (value === undefined) return '';
  return value
    .split('\n')
    .map((v) => `zimbraMtaMyNetworks: ${v}`.replace(/127.0.0.0\/8 /g, '').trim().split(/\s+/).pop() ?? '')
    .join('\n');
}

export interface PolicyDatabaseOptions {
  /** Every domain `zmprov gad` lists. */
  domains: string[];
  /** zimbraMtaMyNetworks as `zmprov gacf` (global) and `zmprov gs <host>` (server) print it. */
  myNetworks: { global?: string; server?: string };
  /** ZCS 8.8.8+: zmcbpolicydinit adds the domains and last subnets to internal_domains / internal_ips. */
  seedInternal: boolean;
}

/** Creates the schema with its default rows, then (8.8.8+) the internal groups' members. */
export function createPolicyDatabase(db: Database, options: PolicyDatabaseOptions): void {
  db.exec(policySchemaSql());
  if (!options.seedInternal) return;
  const insert = db.prepare('INSERT INTO policy_group_members (PolicyGroupID,Member) VALUES (?,?)');
  for (const domain of options.domains) insert.run('2', `@${domain}`);
  insert.run(1, lastSubnet(options.myNetworks.global));
  insert.run(1, lastSubnet(options.myNetworks.server));
}
