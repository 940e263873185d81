import { atLeast, type ZimbraVersion } from './version.js';

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
  localconfigXml: string;
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
    zimbraHome: '/opt/zimbra',
    bin: '/opt/zimbra/bin',
    zmprov: '/opt/zimbra/bin/zmprov',
    zmcontrol: '/opt/zimbra/bin/zmcontrol',
    zmmtactl: '/opt/zimbra/bin/zmmtactl',
    zmcbpolicydctl: '/opt/zimbra/bin/zmcbpolicydctl',
    zmlocalconfig: '/opt/zimbra/bin/zmlocalconfig',
    zmapachectl: '/opt/zimbra/bin/zmapachectl',
    localconfigXml: '/opt/zimbra/conf/localconfig.xml',
    postconf: `${postfixSbin}/postconf`,
    postqueue: `${postfixSbin}/postqueue`,
    postsuper: `${postfixSbin}/postsuper`,
    postfixMainCf: `${postfixConf}/main.cf`,
    postfixMasterCf: `${postfixConf}/master.cf`,
    webuiDir,
    webuiManualDir: `${cbpolicydShare}/webui`,
    policyDb: '/opt/zimbra/data/cbpolicyd/db/cbpolicyd.sqlitedb',
    cbpolicydLog: '/opt/zimbra/log/cbpolicyd.log',
    php: relocated ? '/opt/zimbra/common/bin/php' : '/opt/zimbra/php/bin/php',
    httpdConf: '/opt/zimbra/conf/httpd.conf',
    apacheDocroot: relocated ? '/opt/zimbra/data/httpd/htdocs' : '/opt/zimbra/httpd/htdocs',
    apachectl: relocated ? '/opt/zimbra/common/bin/apachectl' : '/opt/zimbra/httpd/bin/apachectl',
    mailLog: '/var/log/zimbra.log',
  };
}

/** The ZCS releases the simulated host can impersonate. */
export const SANDBOX_VERSIONS = ['7.2.7', '8.0.9', '8.6.0', '8.8.15', '10.1.0'] as const;
export type SandboxVersion = (typeof SANDBOX_VERSIONS)[number];
