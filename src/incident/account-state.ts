/** What contain and release need to know about the account: one zmprov batch (one JVM). */
import { UserError } from '../errors.js';
import type { Host } from '../host/host.js';
import { parseEntries, runZmprovBatch, type Attrs } from '../zimbra/zmprov-batch.js';

export interface AccountState {
  /** Primary name (the argument may have been an alias). */
  name: string;
  status: string;
  tokenValidity: number;
  /** zimbraPrefMailForwardingAddress: set by the user in the web client (or whoever has the password). */
  forwarding: string[];
  /** zimbraFeatureMailForwardingEnabled (COS default TRUE): may the user set forwarding? */
  forwardingAllowed: boolean;
  /** zimbraMailForwardingAddress: set by an admin, invisible to the user. */
  adminForwarding: string[];
  /** zimbraPrefMailLocalDeliveryDisabled: forwarded mail leaves no copy in the mailbox. */
  localDeliveryDisabled: boolean;
  /** Every address of the account, lower case: name, delivery address, aliases. */
  addresses: string[];
}

export const ACCOUNT_ATTRS = [
  'zimbraAccountStatus',
  'zimbraAuthTokenValidityValue',
  'zimbraPrefMailForwardingAddress',
  'zimbraFeatureMailForwardingEnabled',
  'zimbraMailForwardingAddress',
  'zimbraPrefMailLocalDeliveryDisabled',
  'zimbraMailDeliveryAddress',
  'zimbraMailAlias',
  'mail',
];

const one = (attrs: Attrs, name: string) => attrs[name]?.[0];

export function accountFromAttrs(name: string, attrs: Attrs): AccountState {
  const forwarding = (attrs.zimbraPrefMailForwardingAddress ?? []).flatMap((v) => v.split(',')).map((a) => a.trim()).filter(Boolean);
  const addresses = [name, ...(attrs.zimbraMailDeliveryAddress ?? []), ...(attrs.zimbraMailAlias ?? []), ...(attrs.mail ?? [])].map((a) => a.toLowerCase());
  return {
    name,
    status: one(attrs, 'zimbraAccountStatus') ?? 'active',
    tokenValidity: Number(one(attrs, 'zimbraAuthTokenValidityValue') ?? 0) || 0,
    forwarding,
    forwardingAllowed: (one(attrs, 'zimbraFeatureMailForwardingEnabled') ?? 'TRUE').toUpperCase() === 'TRUE',
    adminForwarding: attrs.zimbraMailForwardingAddress ?? [],
    localDeliveryDisabled: (one(attrs, 'zimbraPrefMailLocalDeliveryDisabled') ?? 'FALSE').toUpperCase() === 'TRUE',
    addresses: [...new Set(addresses)],
  };
}

/** `zmprov -l` batch: `ga ACCOUNT attrs…`. A missing account is one clear error. */
export async function readAccount(host: Host, zmprov: string, account: string): Promise<AccountState> {
  const batch = await runZmprovBatch(host, zmprov, [['ga', account, ...ACCOUNT_ATTRS]]);
  const entry = parseEntries(batch.results[0]?.stdout ?? '')[0];
  if (!entry) {
    const said = batch.stderr.trim().split('\n')[0] ?? '';
    if (/NO_SUCH_ACCOUNT/.test(said)) throw new UserError(`account ${account} does not exist (zmprov: ${said}); nothing was changed`);
    throw new UserError(`cannot read account ${account}${said ? `: ${said}` : ''}; is LDAP running? (zmcontrol status)`);
  }
  return accountFromAttrs(entry.name.toLowerCase(), entry.attrs);
}
