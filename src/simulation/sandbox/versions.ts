import { atLeast } from '../../zimbra/version.js';
import { SANDBOX_VERSIONS, type SandboxVersion } from '../../zimbra/paths.js';

/** What differs between the simulated ZCS releases. */
export interface VersionProfile {
  version: SandboxVersion;
  major: number;
  minor: number;
  patch: number;
  /** The single line `zmcontrol -v` prints. */
  release: string;
  /** Postfix shipped with the release (drives postconf's parameter set and options). */
  postfix: { major: number; minor: number; patch: number };
  /** Services installed and enabled by a default single-server install (cbpolicyd never is). */
  services: string[];
  /** Postfix lookup table type Zimbra uses in its templates. */
  mapType: 'hash' | 'lmdb';
  /** Service that drives the amavis tagging lines of smtpd_sender_restrictions. */
  amavisService: 'amavis' | 'antivirus';
  /** Directory of the cbpolicyd install (daemon under bin/). */
  cbpolicydHome: string;
  /** On releases before 8.7, /opt/zimbra/cbpolicyd is a symlink to this versioned folder. */
  cbpolicydVersionedDir: string | undefined;
}

const RELEASES: Record<SandboxVersion, string> = {
  '7.2.7': 'Release 7.2.7_GA_2942.RHEL6_64_20140314155526 RHEL6_64 FOSS edition.',
  '8.0.9': 'Release 8.0.9_GA_6191.RHEL6_64_20141103151539 RHEL6_64 FOSS edition.',
  '8.6.0': 'Release 8.6.0_GA_1153.RHEL7_64_20141215151110 RHEL7_64 FOSS edition.',
  '8.8.15': 'Release 8.8.15_GA_3869.RHEL7_64_20190917004220 RHEL7_64 FOSS edition, Patch 8.8.15_P45.',
  '10.1.0': 'Release 10.1.0.GA.4655.UBUNTU22.64 UBUNTU22_64 FOSS edition.',
};

const POSTFIX: Record<SandboxVersion, [number, number, number]> = {
  '7.2.7': [2, 7, 11],
  '8.0.9': [2, 11, 1],
  '8.6.0': [2, 11, 3],
  '8.8.15': [3, 4, 14],
  '10.1.0': [3, 6, 14],
};

function servicesFor(v: { major: number; minor: number; patch: number }): string[] {
  if (!atLeast(v, 8)) {
    return ['antispam', 'antivirus', 'imapproxy', 'ldap', 'logger', 'mailbox', 'memcached', 'mta', 'snmp', 'spell', 'stats', 'zimbra', 'zimbraAdmin', 'zimlet'];
  }
  const list = ['amavis', 'antispam', 'antivirus', 'ldap', 'logger', 'mailbox', 'memcached', 'mta', 'opendkim', 'proxy', 'snmp', 'spell', 'stats', 'zimbra', 'zimbraAdmin', 'zimlet'];
  if (atLeast(v, 8, 5)) list.push('dnscache', 'service');
  return list.sort();
}

export function isSandboxVersion(value: string): value is SandboxVersion {
  return (SANDBOX_VERSIONS as readonly string[]).includes(value);
}

export function versionProfile(version: SandboxVersion): VersionProfile {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const v = { major, minor, patch };
  const relocated = atLeast(v, 8, 7);
  const [pmaj, pmin, ppat] = POSTFIX[version];
  return {
    version,
    major,
    minor,
    patch,
    release: RELEASES[version],
    postfix: { major: pmaj, minor: pmin, patch: ppat },
    services: servicesFor(v),
    mapType: relocated ? 'lmdb' : 'hash',
    amavisService: atLeast(v, 8) ? 'amavis' : 'antivirus',
    cbpolicydHome: relocated ? '/opt/zimbra/common' : '/opt/zimbra/cbpolicyd',
    cbpolicydVersionedDir: relocated ? undefined : '/opt/zimbra/cbpolicyd-2.1.0-beta',
  };
}

/** True when the simulated release is at least major.minor.patch. */
export function since(profile: VersionProfile, spec: string): boolean {
  const [major = 0, minor = 0, patch = 0] = spec.split('.').map(Number);
  return atLeast(profile, major, minor, patch);
}

export function postfixAtLeast(profile: VersionProfile, major: number, minor = 0): boolean {
  return atLeast({ ...profile.postfix }, major, minor, 0);
}
