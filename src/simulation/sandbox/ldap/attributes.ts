/**
 * The Zimbra attributes the simulated directory knows (a subset of zimbra-attrs.xml):
 * cardinality, value type, which object classes may hold them, serverInherited, and the
 * release that introduced them. An attribute newer than the simulated release is unknown.
 */
export type AttrClass = 'account' | 'cos' | 'domain' | 'server' | 'globalConfig';
export type AttrType = 'string' | 'enum' | 'regex' | 'integer' | 'port' | 'boolean' | 'id' | 'gentime' | 'duration' | 'email';

export interface AttrDef {
  name: string;
  multi: boolean;
  type: AttrType;
  /** enum: comma-separated values; regex: the pattern. */
  value?: string;
  on: readonly AttrClass[];
  /** Servers inherit the global config value unless they set their own. */
  serverInherited?: boolean;
  since?: string;
}

const ACCOUNT: AttrClass[] = ['account'];
const ACCOUNT_COS: AttrClass[] = ['account', 'cos'];
const DOMAIN: AttrClass[] = ['domain'];
const SERVER: AttrClass[] = ['server'];
const GLOBAL: AttrClass[] = ['globalConfig'];
const GLOBAL_SERVER: AttrClass[] = ['globalConfig', 'server'];
const ALL: AttrClass[] = ['account', 'cos', 'domain', 'server', 'globalConfig'];

type Row = [name: string, multi: 'single' | 'multi', type: AttrType, on: AttrClass[], extra?: Partial<AttrDef>];

const inherited = (since?: string): Partial<AttrDef> => (since ? { serverInherited: true, since } : { serverInherited: true });
const cbp = (value?: string): Partial<AttrDef> => ({ serverInherited: true, since: '8.5.0', ...(value ? { value } : {}) });

const ROWS: Row[] = [
  // entries of every kind
  ['objectClass', 'multi', 'string', ALL],
  ['cn', 'single', 'string', ['account', 'cos', 'server']],
  ['description', 'multi', 'string', ALL],
  ['zimbraId', 'single', 'id', ALL],
  ['zimbraCreateTimestamp', 'single', 'gentime', ALL],
  // accounts
  ['uid', 'single', 'string', ACCOUNT],
  ['mail', 'multi', 'string', ACCOUNT],
  ['sn', 'single', 'string', ACCOUNT],
  ['givenName', 'single', 'string', ACCOUNT],
  ['displayName', 'single', 'string', ACCOUNT],
  ['userPassword', 'single', 'string', ACCOUNT],
  ['zimbraMailDeliveryAddress', 'single', 'email', ACCOUNT],
  ['zimbraMailAlias', 'multi', 'email', ACCOUNT],
  ['zimbraMailCatchAllAddress', 'multi', 'regex', ACCOUNT, { value: '^@[A-Za-z0-9-\\.]+$' }],
  ['zimbraMailForwardingAddress', 'multi', 'string', ACCOUNT],
  ['zimbraAccountStatus', 'single', 'enum', ACCOUNT, { value: 'active,maintenance,locked,closed,lockout,pending' }],
  ['zimbraMailStatus', 'single', 'enum', ['account', 'domain'], { value: 'enabled,disabled' }],
  ['zimbraMailHost', 'single', 'string', ACCOUNT],
  ['zimbraMailTransport', 'single', 'string', ACCOUNT],
  ['zimbraCOSId', 'single', 'id', ACCOUNT],
  ['zimbraIsAdminAccount', 'single', 'boolean', ACCOUNT],
  ['zimbraIsSystemResource', 'single', 'boolean', ACCOUNT],
  ['zimbraIsSystemAccount', 'single', 'boolean', ACCOUNT, { since: '8.0.0' }],
  ['zimbraHideInGal', 'single', 'boolean', ACCOUNT],
  ['zimbraPasswordModifiedTime', 'single', 'gentime', ACCOUNT],
  ['zimbraPrefMailForwardingAddress', 'single', 'string', ACCOUNT],
  ['zimbraAllowFromAddress', 'multi', 'string', ACCOUNT],
  ['zimbraAuthTokenValidityValue', 'single', 'integer', ACCOUNT],
  // accounts, inherited from their class of service
  ['zimbraFeatureMailForwardingEnabled', 'single', 'boolean', ACCOUNT_COS],
  ['zimbraAllowAnyFromAddress', 'single', 'boolean', ACCOUNT_COS],
  ['zimbraSmtpRestrictEnvelopeFrom', 'single', 'boolean', ACCOUNT_COS],
  ['zimbraPasswordLockoutEnabled', 'single', 'boolean', ACCOUNT_COS],
  ['zimbraPasswordLockoutMaxFailures', 'single', 'integer', ACCOUNT_COS],
  ['zimbraPasswordLockoutDuration', 'single', 'duration', ACCOUNT_COS],
  ['zimbraPasswordLockoutFailureLifetime', 'single', 'duration', ACCOUNT_COS],
  ['zimbraPasswordMinLength', 'single', 'integer', ACCOUNT_COS],
  ['zimbraMailQuota', 'single', 'integer', ACCOUNT_COS],
  ['zimbraPrefMailLocalDeliveryDisabled', 'single', 'boolean', ACCOUNT_COS],
  ['zimbraAuthTokenLifetime', 'single', 'duration', ACCOUNT_COS],
  // domains
  ['zimbraDomainName', 'single', 'string', DOMAIN],
  ['zimbraDomainType', 'single', 'enum', DOMAIN, { value: 'local,alias' }],
  ['zimbraDomainStatus', 'single', 'enum', DOMAIN, { value: 'active,maintenance,locked,closed,suspended,shutdown' }],
  ['zimbraDomainDefaultCOSId', 'single', 'id', DOMAIN],
  ['zimbraVirtualHostname', 'multi', 'string', DOMAIN],
  ['dc', 'single', 'string', DOMAIN],
  ['o', 'single', 'string', DOMAIN],
  // servers
  ['zimbraServiceHostname', 'single', 'string', SERVER],
  ['zimbraServiceEnabled', 'multi', 'string', SERVER],
  ['zimbraServiceInstalled', 'multi', 'string', SERVER],
  ['zimbraMtaAuthHost', 'multi', 'string', SERVER],
  ['zimbraMtaAuthTarget', 'single', 'boolean', SERVER],
  ['zimbraMailMode', 'single', 'enum', SERVER, { value: 'http,https,mixed,both,redirect' }],
  // global config and servers (serverInherited)
  ['zimbraSmtpHostname', 'multi', 'string', GLOBAL_SERVER, inherited()],
  ['zimbraMtaRestriction', 'multi', 'string', GLOBAL_SERVER, inherited()],
  ['zimbraMtaMyNetworks', 'multi', 'string', GLOBAL_SERVER, inherited()],
  ['zimbraMtaAuthEnabled', 'single', 'boolean', GLOBAL_SERVER, inherited()],
  ['zimbraMtaTlsAuthOnly', 'single', 'boolean', GLOBAL_SERVER, inherited()],
  ['zimbraMtaTlsSecurityLevel', 'single', 'enum', GLOBAL_SERVER, { ...inherited(), value: 'none,may,encrypt' }],
  ['zimbraMtaMaxMessageSize', 'single', 'integer', GLOBAL_SERVER, inherited()],
  ['zimbraMtaSmtpdSenderRestrictions', 'single', 'string', GLOBAL_SERVER, inherited('8.5.0')],
  ['zimbraMtaSmtpdSenderLoginMaps', 'single', 'string', GLOBAL_SERVER, inherited('8.5.0')],
  ['zimbraMtaSmtpdRejectUnlistedRecipient', 'single', 'enum', GLOBAL_SERVER, { ...inherited('8.5.0'), value: 'yes,no' }],
  ['zimbraMtaSmtpdRejectUnlistedSender', 'single', 'enum', GLOBAL_SERVER, { ...inherited('8.5.0'), value: 'yes,no' }],
  ['zimbraMtaEnableSmtpdPolicyd', 'single', 'boolean', GLOBAL_SERVER, inherited('8.5.0')],
  ['zimbraMtaSmtpdClientAuthRateLimit', 'single', 'integer', GLOBAL_SERVER, inherited('8.7.0')],
  ['zimbraMtaPostscreenDnsblSites', 'multi', 'string', GLOBAL_SERVER, inherited('8.7.0')],
  ['zimbraAmavisLogLevel', 'single', 'integer', GLOBAL_SERVER, inherited('8.5.0')],
  ['zimbraInvalidLoginFilterMaxFailedLogin', 'single', 'integer', GLOBAL_SERVER, inherited('8.5.0')],
  ['zimbraHttpDosFilterMaxRequestsPerSec', 'single', 'integer', GLOBAL_SERVER, inherited('8.0.3')],
  ['zimbraReverseProxyIPLoginLimit', 'single', 'integer', GLOBAL_SERVER, inherited()],
  ['zimbraReverseProxyUserLoginLimit', 'single', 'integer', GLOBAL_SERVER, inherited()],
  ['zimbraCBPolicydQuotasEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydAccessControlEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydAccountingEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydAmavisEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydCheckHeloEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydCheckSPFEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydGreylistingEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydGreylistingTrainingEnabled', 'single', 'boolean', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydBindPort', 'single', 'port', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydLogLevel', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydBypassMode', 'single', 'enum', GLOBAL_SERVER, cbp('pass,tempfail')],
  ['zimbraCBPolicydBypassTimeout', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydMinServers', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydMinSpareServers', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydMaxSpareServers', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydMaxServers', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydMaxRequests', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydTimeoutIdle', 'single', 'integer', GLOBAL_SERVER, cbp()],
  ['zimbraCBPolicydTimeoutBusy', 'single', 'integer', GLOBAL_SERVER, cbp()],
  // global config only
  ['zimbraComponentAvailable', 'multi', 'string', GLOBAL],
  ['zimbraDefaultDomainName', 'single', 'string', GLOBAL],
  ['zimbraSpamIsSpamAccount', 'single', 'email', GLOBAL],
  ['zimbraSpamIsNotSpamAccount', 'single', 'email', GLOBAL],
  ['zimbraAmavisQuarantineAccount', 'single', 'email', GLOBAL],
];

const TABLE = new Map<string, AttrDef>(
  ROWS.map(([name, multi, type, on, extra]) => [name.toLowerCase(), { name, multi: multi === 'multi', type, on, ...extra }]),
);

/** The definition of an attribute (case-insensitive name), or undefined when unknown to every release. */
export function attrDef(name: string): AttrDef | undefined {
  return TABLE.get(name.toLowerCase());
}
