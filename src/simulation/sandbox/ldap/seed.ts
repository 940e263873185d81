/** The directory of a freshly installed single-server ZCS. */
import { createHash, randomUUID } from 'node:crypto';
import type { Attrs, LdapState } from '../state.js';
import { since, type VersionProfile } from '../versions.js';

export interface SeedOptions {
  profile: VersionProfile;
  hostname: string;
  domains: string[];
  localParts: string[];
  now: Date;
}

export interface Seeded {
  state: LdapState;
  /** User accounts, local@domain. */
  accounts: string[];
  /** Accounts the installer creates for itself (spam/ham training, quarantine, GAL sync). */
  systemAccounts: string[];
}

/** LDAP generalized time, as Zimbra stores it: 20240131123456Z. */
export function generalizedTime(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Stable pseudo-random suffix, the way the installer names its system accounts. */
function suffix(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...digest.subarray(0, 10)].map((b) => alphabet[b % alphabet.length]).join('');
}

function globalConfig(opts: SeedOptions, firstDomain: string, system: Record<string, string>): Attrs {
  const { profile } = opts;
  const config: Attrs = {
    objectClass: ['zimbraGlobalConfig'],
    cn: ['config'],
    zimbraDefaultDomainName: [firstDomain],
    zimbraMtaRestriction: ['reject_invalid_helo_hostname', 'reject_non_fqdn_sender'],
    zimbraMtaMyNetworks: ['127.0.0.0/8 10.0.0.0/24'],
    zimbraMtaAuthEnabled: ['TRUE'],
    zimbraMtaTlsAuthOnly: ['TRUE'],
    zimbraMtaTlsSecurityLevel: ['may'],
    zimbraMtaMaxMessageSize: ['10240000'],
    zimbraSmtpHostname: ['localhost'],
    zimbraReverseProxyIPLoginLimit: ['0'],
    zimbraReverseProxyUserLoginLimit: ['0'],
    zimbraSpamIsSpamAccount: [system.spam as string],
    zimbraSpamIsNotSpamAccount: [system.ham as string],
    zimbraAmavisQuarantineAccount: [system.quarantine as string],
  };
  if (since(profile, '8.0.3')) config.zimbraHttpDosFilterMaxRequestsPerSec = ['30'];
  if (since(profile, '8.5.0')) {
    Object.assign(config, {
      zimbraCBPolicydBindPort: ['10031'],
      zimbraCBPolicydQuotasEnabled: ['TRUE'],
      zimbraCBPolicydAccessControlEnabled: ['FALSE'],
      zimbraCBPolicydAccountingEnabled: ['FALSE'],
      zimbraCBPolicydAmavisEnabled: ['FALSE'],
      zimbraCBPolicydCheckHeloEnabled: ['FALSE'],
      zimbraCBPolicydCheckSPFEnabled: ['FALSE'],
      zimbraCBPolicydGreylistingEnabled: ['FALSE'],
      zimbraCBPolicydGreylistingTrainingEnabled: ['FALSE'],
      zimbraCBPolicydLogLevel: ['3'],
      zimbraCBPolicydBypassMode: ['tempfail'],
      zimbraCBPolicydBypassTimeout: ['30'],
      zimbraCBPolicydMinServers: ['4'],
      zimbraCBPolicydMinSpareServers: ['4'],
      zimbraCBPolicydMaxSpareServers: ['12'],
      zimbraCBPolicydMaxServers: ['25'],
      zimbraCBPolicydMaxRequests: ['1000'],
      zimbraCBPolicydTimeoutIdle: ['1020'],
      zimbraCBPolicydTimeoutBusy: ['120'],
      zimbraMtaSmtpdRejectUnlistedRecipient: ['no'],
      zimbraMtaSmtpdRejectUnlistedSender: ['no'],
      zimbraMtaEnableSmtpdPolicyd: ['FALSE'],
      zimbraAmavisLogLevel: ['1'],
      zimbraInvalidLoginFilterMaxFailedLogin: ['10'],
    });
  }
  if (since(profile, '8.7.0')) config.zimbraMtaSmtpdClientAuthRateLimit = ['0'];
  return config;
}

function defaultCos(created: string): Attrs {
  return {
    objectClass: ['zimbraCOS'],
    cn: ['default'],
    zimbraId: ['e00428a1-0c00-11d9-836a-000d93afea2a'],
    zimbraCreateTimestamp: [created],
    zimbraFeatureMailForwardingEnabled: ['TRUE'],
    zimbraAllowAnyFromAddress: ['FALSE'],
    zimbraSmtpRestrictEnvelopeFrom: ['TRUE'],
    zimbraPasswordLockoutEnabled: ['FALSE'],
    zimbraPasswordLockoutMaxFailures: ['10'],
    zimbraPasswordLockoutDuration: ['1h'],
    zimbraPasswordLockoutFailureLifetime: ['1h'],
    zimbraPasswordMinLength: ['6'],
    zimbraMailQuota: ['0'],
    zimbraPrefMailLocalDeliveryDisabled: ['FALSE'],
    zimbraAuthTokenLifetime: ['2d'],
  };
}

export function newAccountAttrs(address: string, hostname: string, created: string, extra: Attrs = {}): Attrs {
  const [local = ''] = address.split('@');
  return {
    objectClass: ['inetOrgPerson', 'zimbraAccount', 'amavisAccount'],
    uid: [local],
    cn: [local],
    sn: [local],
    displayName: [local],
    mail: [address],
    zimbraId: [randomUUID()],
    zimbraCreateTimestamp: [created],
    zimbraMailDeliveryAddress: [address],
    zimbraAccountStatus: ['active'],
    zimbraMailStatus: ['enabled'],
    zimbraMailHost: [hostname],
    zimbraMailTransport: [`lmtp:${hostname}:7025`],
    ...extra,
  };
}

export function seedDirectory(opts: SeedOptions): Seeded {
  const { profile, hostname, domains, localParts } = opts;
  const created = generalizedTime(opts.now);
  const firstDomain = domains[0] as string;
  const tag = suffix(hostname);
  const system = {
    spam: `spam.${tag}@${firstDomain}`,
    ham: `ham.${tag.split('').reverse().join('')}@${firstDomain}`,
    quarantine: `virus-quarantine.${suffix(`${hostname}/q`)}@${firstDomain}`,
  };
  const state: LdapState = {
    config: globalConfig(opts, firstDomain, system),
    cos: { default: defaultCos(created) },
    servers: {},
    domains: {},
    accounts: {},
  };
  state.servers[hostname] = {
    objectClass: ['zimbraServer'],
    cn: [hostname],
    zimbraId: [randomUUID()],
    zimbraCreateTimestamp: [created],
    zimbraServiceHostname: [hostname],
    zimbraServiceInstalled: [...profile.services],
    zimbraServiceEnabled: [...profile.services],
    zimbraMtaAuthHost: [hostname],
    zimbraMtaAuthTarget: ['TRUE'],
    zimbraMailMode: ['https'],
    zimbraSmtpHostname: [hostname],
  };
  for (const domain of domains) {
    state.domains[domain] = {
      objectClass: ['dcObject', 'organization', 'zimbraDomain', 'amavisAccount'],
      dc: [domain.split('.')[0] as string],
      o: [`${domain} domain`],
      zimbraId: [randomUUID()],
      zimbraCreateTimestamp: [created],
      zimbraDomainName: [domain],
      zimbraDomainType: ['local'],
      zimbraDomainStatus: ['active'],
      zimbraMailStatus: ['enabled'],
    };
  }
  const accounts: string[] = [];
  for (const domain of domains) {
    for (const local of localParts) {
      const address = `${local}@${domain}`.toLowerCase();
      const extra: Attrs = local === 'admin' ? { zimbraIsAdminAccount: ['TRUE'] } : {};
      state.accounts[address] = newAccountAttrs(address, hostname, created, extra);
      accounts.push(address);
    }
  }
  const systemAccounts = [system.spam, system.ham, system.quarantine];
  if (since(profile, '8.0.0')) systemAccounts.push(`galsync.${suffix(`${hostname}/g`)}@${firstDomain}`);
  for (const address of systemAccounts) {
    const extra: Attrs = { zimbraHideInGal: ['TRUE'], zimbraIsSystemResource: ['TRUE'] };
    if (since(profile, '8.0.0')) extra.zimbraIsSystemAccount = ['TRUE'];
    state.accounts[address] = newAccountAttrs(address, hostname, created, extra);
  }
  return { state, accounts, systemAccounts };
}
