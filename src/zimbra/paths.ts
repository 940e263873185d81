import { atLeast, type ZimbraVersion } from './version.js';

/** The paths every release shares: those read before the version is known, and every fixed file. */
export const COMMON_PATHS = {
  zimbraHome: '/opt/zimbra',
  bin: '/opt/zimbra/bin',
  zmprov: '/opt/zimbra/bin/zmprov',
  zmcontrol: '/opt/zimbra/bin/zmcontrol',
  zmmtactl: '/opt/zimbra/bin/zmmtactl',
  zmcbpolicydctl: '/opt/zimbra/bin/zmcbpolicydctl',
  zmlocalconfig: '/opt/zimbra/bin/zmlocalconfig',
  zmapachectl: '/opt/zimbra/bin/zmapachectl',
  /** Writes the MTA's LDAP lookup maps (ldap-slm.cf among them). */
  zmmtainit: '/opt/zimbra/libexec/zmmtainit',
  localconfigXml: '/opt/zimbra/conf/localconfig.xml',
  /** cbpolicyd's configuration as zmconfigd renders it. */
  cbpolicydConf: '/opt/zimbra/conf/cbpolicyd.conf',
  /** The LDAP sender login map Postfix reads (8.5+). */
  ldapSlmCf: '/opt/zimbra/conf/ldap-slm.cf',
  policyDb: '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb',
  cbpolicydLog: '/opt/zimbra/log/cbpolicyd.log',
  httpdConf: '/opt/zimbra/conf/httpd.conf',
  /** Written by Apache when it starts. */
  httpdPid: '/opt/zimbra/log/httpd.pid',
  mailLog: '/var/log/zimbra.log',
} as const satisfies Partial<ZimbraPaths>;

/**
 * Where things live on a Zimbra server of a given version (from zmcbpolicydctl, zmmtactl, zmapachectl
 * and zmsyslogsetup in github.com/Zimbra/zm-core-utils, LC.java in zm-mailbox). Absolute server paths.
 */
export interface ZimbraPaths {
  zimbraHome: string;
  bin: string;
  zmprov: string;
  zmcontrol: string;
  zmmtactl: string;
  zmcbpolicydctl: string;
  zmlocalconfig: string;
  zmapachectl: string;
  zmmtainit: string;
  localconfigXml: string;
  cbpolicydConf: string;
  ldapSlmCf: string;
  postconf: string;
  postqueue: string;
  postsuper: string;
  /** Postfix main.cf as zmconfigd renders it. */
  postfixMainCf: string;
  postfixMasterCf: string;
  /** Folder of the cbpolicyd web UI, or undefined where the release ships none (7.x, 8.0). */
  webuiDir: string | undefined;
  /** Where an admin who installed the web UI by hand on 7.x/8.0 put it (community wiki). */
  webuiManualDir: string;
  policyDb: string;
  cbpolicydLog: string;
  /** Zimbra's own PHP binary (serves the web UI). */
  php: string;
  httpdConf: string;
  httpdPid: string;
  apacheDocroot: string;
  apachectl: string;
  mailLog: string;
}

export function zimbraPaths(version: Pick<ZimbraVersion, 'major' | 'minor' | 'patch'>): ZimbraPaths {
  const relocated = atLeast(version, 8, 7); // third-party relocation to /opt/zimbra/common
  const postfixSbin = relocated ? '/opt/zimbra/common/sbin' : '/opt/zimbra/postfix/sbin';
  const postfixConf = relocated ? '/opt/zimbra/common/conf' : '/opt/zimbra/postfix/conf';
  const cbpolicydShare = '/opt/zimbra/cbpolicyd/share';
  let webuiDir: string | undefined;
  if (relocated) webuiDir = '/opt/zimbra/common/share/webui';
  else if (atLeast(version, 8, 5)) webuiDir = `${cbpolicydShare}/webui`;
  return {
    ...COMMON_PATHS,
    postconf: `${postfixSbin}/postconf`,
    postqueue: `${postfixSbin}/postqueue`,
    postsuper: `${postfixSbin}/postsuper`,
    postfixMainCf: `${postfixConf}/main.cf`,
    postfixMasterCf: `${postfixConf}/master.cf`,
    webuiDir,
    webuiManualDir: `${cbpolicydShare}/webui`,
    php: relocated ? '/opt/zimbra/common/bin/php' : '/opt/zimbra/php/bin/php',
    apacheDocroot: relocated ? '/opt/zimbra/data/httpd/htdocs' : '/opt/zimbra/httpd/htdocs',
    apachectl: relocated ? '/opt/zimbra/common/bin/apachectl' : '/opt/zimbra/httpd/bin/apachectl',
  };
}

/** The ZCS releases the simulated host can impersonate. */
export const SANDBOX_VERSIONS = ['7.2.7', '8.0.9', '8.6.0', '8.8.15', '10.1.0'] as const;
export type SandboxVersion = (typeof SANDBOX_VERSIONS)[number];
