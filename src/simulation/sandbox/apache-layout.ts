/**
 * Zimbra's Apache (zimbra-apache, installed with zimbra-spell) as the simulated host has it:
 * httpd.conf per release (8.7+: zm-aspell's conf/httpd.conf, Apache 2.4; before: the older
 * ZimbraServer conf, Apache 2.x with Order/Allow), the web UI published in the docroot as an admin
 * following the recipe does, and the Postfix sender login map of 8.5+.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zimbraPaths } from '../../zimbra/paths.js';
import type { ApacheVersion } from './apache-check.js';
import { statePath } from './state.js';
import { NO_PDO_SQLITE } from './tools/php.js';
import { since, type VersionProfile } from './versions.js';

export function apacheVersion(profile: VersionProfile): ApacheVersion {
  return since(profile, '8.7.0') ? '2.4' : '2.2';
}

const MODULES_24 = ['authn_file', 'authn_core', 'authz_host', 'authz_groupfile', 'authz_user', 'authz_core', 'access_compat', 'auth_basic', 'reqtimeout', 'filter', 'mime', 'log_config', 'env', 'headers', 'setenvif', 'version', 'unixd', 'status', 'autoindex', 'dir', 'alias', 'mpm_event'];

function httpdConf24(docroot: string): string[] {
  return [
    'ServerRoot "/opt/zimbra/data/httpd"',
    '',
    'PidFile /opt/zimbra/log/httpd.pid',
    'Listen 7780',
    '',
    ...MODULES_24.map((m) => `LoadModule ${m}_module /opt/zimbra/common/lib/apache2/modules/mod_${m}.so`),
    'LoadModule php_module        /opt/zimbra/common/lib/apache2/modules/libphp.so',
    '',
    '<IfModule unixd_module>',
    'User zimbra',
    'Group zimbra',
    '</IfModule>',
    '',
    'ServerAdmin you@example.com',
    '',
    '<Directory />',
    '    Options -Indexes +FollowSymLinks',
    '    AllowOverride None',
    '</Directory>',
    '',
    'SetEnv TMPDIR /opt/zimbra/data/tmp',
    `DocumentRoot "${docroot}"`,
    `<Directory "${docroot}">`,
    '    Options -Indexes +FollowSymLinks',
    '    AllowOverride None',
    '    Require all granted',
    '</Directory>',
    '',
    '<IfModule dir_module>',
    '    DirectoryIndex index.html index.html.var',
    '</IfModule>',
    '',
    '<Files ".ht*">',
    '    Require all denied',
    '</Files>',
    '',
    'ErrorLog "|/opt/zimbra/common/bin/rotatelogs /opt/zimbra/log/httpd_error.log.%Y-%m-%d 86400"',
    'LogLevel warn',
    '',
    '<IfModule log_config_module>',
    '    LogFormat "%h %l %u %t \\"%r\\" %>s %b" common',
    '    CustomLog "|/opt/zimbra/common/bin/rotatelogs /opt/zimbra/log/httpd_access.log.%Y-%m-%d 86400" common',
    '</IfModule>',
    '',
    '<IfModule alias_module>',
    '    ScriptAlias /cgi-bin/ "/opt/zimbra/data/httpd/cgi-bin/"',
    '</IfModule>',
    '',
    '<Directory "/opt/zimbra/data/httpd/cgi-bin">',
    '    AllowOverride None',
    '    Options None',
    '    Require all granted',
    '</Directory>',
    '',
    '<IfModule mime_module>',
    '    TypesConfig conf/mime.types',
    '    AddType application/x-compress .Z',
    '    AddType application/x-gzip .gz .tgz',
    '    AddType application/x-httpd-php .php .phtml',
    '    AddHandler type-map var',
    '</IfModule>',
    '',
    'ServerSignature Off',
    'ServerTokens Prod',
  ];
}

function httpdConf22(docroot: string): string[] {
  return [
    'ServerRoot "/opt/zimbra/httpd"',
    '',
    '<IfModule !mpm_netware.c>',
    'PidFile /opt/zimbra/log/httpd.pid',
    '</IfModule>',
    'Timeout 300',
    'KeepAlive On',
    'MaxKeepAliveRequests 100',
    'KeepAliveTimeout 15',
    '',
    'Listen 7780',
    '',
    'LoadModule php5_module        modules/libphp5.so',
    '',
    'User zimbra',
    'Group zimbra',
    'ServerAdmin you@example.com',
    'UseCanonicalName Off',
    '',
    `DocumentRoot "${docroot}"`,
    '<Directory />',
    '    Options FollowSymLinks',
    '    AllowOverride None',
    '</Directory>',
    '',
    `<Directory "${docroot}">`,
    '    Options Indexes FollowSymLinks',
    '    AllowOverride None',
    '    Order allow,deny',
    '    Allow from all',
    '</Directory>',
    '',
    'DirectoryIndex index.html index.html.var',
    'AccessFileName .htaccess',
    '<Files ~ "^\\.ht">',
    '    Order allow,deny',
    '    Deny from all',
    '</Files>',
    '',
    'TypesConfig conf/mime.types',
    'DefaultType text/plain',
    'AddType application/x-httpd-php .php .phtml',
    'HostnameLookups Off',
    'ErrorLog /opt/zimbra/log/httpd_error.log',
    'LogLevel warn',
    'ServerSignature Off',
    'ServerTokens Prod',
  ];
}

/** /opt/zimbra/conf/httpd.conf as the release installs it. */
export function httpdConfFor(profile: VersionProfile): string {
  const docroot = zimbraPaths(profile).apacheDocroot;
  const lines = apacheVersion(profile) === '2.4' ? httpdConf24(docroot) : httpdConf22(docroot);
  return `${lines.join('\n')}\n`;
}

/** The sender login map zmmtainit writes on 8.5+ (src/libexec/zmmtainit in github.com/Zimbra/zm-core-utils). */
export function ldapSlmCf(hostname: string): string {
  return [
    `server_host = ldap://${hostname}:389`,
    'server_port = 389',
    'search_base =',
    'query_filter = (&(|(uid=%s)(zimbraMailDeliveryAddress=%s)(zimbraMailAlias=%s)(zimbraMailCatchAllAddress=%s)(zimbraAllowFromAddress=%s))(zimbraMailStatus=enabled))',
    'result_attribute = uid,zimbraMailDeliveryAddress,zimbraMailAlias,zimbraAllowFromAddress',
    'version = 3',
    'start_tls = yes',
    'tls_ca_cert_dir = /opt/zimbra/conf/ca',
    'bind = yes',
    'bind_dn = uid=zmpostfix,cn=appaccts,cn=zimbra',
    'bind_pw = zmpostfix-sandbox',
    'timeout = 30',
    '',
  ].join('\n');
}

export interface ApacheLayoutOptions {
  hostname: string;
  /** Folder the web UI is installed in, if any. */
  webuiDir: string | undefined;
  /** Publish the web UI in the docroot (a `webui` symlink), as the recipe's URL needs. */
  publish: boolean;
  /** Zimbra's PHP has pdo_sqlite (`php -m`). */
  pdoSqlite: boolean;
}

export function writeApacheLayout(root: string, profile: VersionProfile, options: ApacheLayoutOptions): void {
  const paths = zimbraPaths(profile);
  const at = (p: string) => path.join(root, p);
  fs.mkdirSync(at(paths.apacheDocroot), { recursive: true });
  fs.writeFileSync(at(paths.httpdConf), httpdConfFor(profile), { mode: 0o644 });
  if (options.publish && options.webuiDir) {
    fs.symlinkSync(path.relative(paths.apacheDocroot, options.webuiDir), at(`${paths.apacheDocroot}/webui`));
  }
  if (!options.pdoSqlite) fs.writeFileSync(statePath(root, NO_PDO_SQLITE), '');
  if (since(profile, '8.5.0')) fs.writeFileSync(at('/opt/zimbra/conf/ldap-slm.cf'), ldapSlmCf(options.hostname), { mode: 0o640 });
}
