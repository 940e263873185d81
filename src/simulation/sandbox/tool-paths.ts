/** Where each simulated executable lives on the server, per release. */
import * as path from 'node:path';
import { zimbraPaths } from '../../zimbra/paths.js';
import type { VersionProfile } from './versions.js';

export const TOOL_NAMES = [
  'zmprov',
  'zmcontrol',
  'zmmtactl',
  'zmcbpolicydctl',
  'zmcbpolicydinit',
  'zmlocalconfig',
  'zmhostname',
  'zmapachectl',
  'postconf',
  'postqueue',
  'postsuper',
  'cbpolicyd',
  'apachectl',
  'php',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** Server path of a tool on a given release. */
export function toolPath(tool: ToolName, profile: VersionProfile): string {
  const paths = zimbraPaths(profile);
  switch (tool) {
    case 'postconf':
      return paths.postconf;
    case 'postqueue':
      return paths.postqueue;
    case 'postsuper':
      return paths.postsuper;
    case 'zmcbpolicydinit':
      return '/opt/zimbra/libexec/zmcbpolicydinit';
    case 'cbpolicyd':
      return `${profile.cbpolicydHome}/bin/cbpolicyd`;
    case 'apachectl':
      return paths.apachectl;
    case 'php':
      return paths.php;
    default:
      return `${paths.bin}/${tool}`;
  }
}

/** Every server path a tool may be invoked under (any release), longest first. */
export function toolPathCandidates(tool: string): string[] {
  switch (tool) {
    case 'postconf':
    case 'postqueue':
    case 'postsuper':
      return [`/opt/zimbra/common/sbin/${tool}`, `/opt/zimbra/postfix/sbin/${tool}`];
    case 'zmcbpolicydinit':
      return ['/opt/zimbra/libexec/zmcbpolicydinit'];
    case 'cbpolicyd':
      return ['/opt/zimbra/cbpolicyd-2.1.0-beta/bin/cbpolicyd', '/opt/zimbra/cbpolicyd/bin/cbpolicyd', '/opt/zimbra/common/bin/cbpolicyd'];
    case 'apachectl':
      return ['/opt/zimbra/common/bin/apachectl', '/opt/zimbra/httpd/bin/apachectl'];
    case 'php':
      return ['/opt/zimbra/common/bin/php', '/opt/zimbra/php/bin/php'];
    default:
      return [`/opt/zimbra/bin/${tool}`];
  }
}

/** The sandbox root for a tool invoked as scriptPath, or undefined when scriptPath is not one of its paths. */
export function sandboxRootOf(tool: string, scriptPath: string): string | undefined {
  const absolute = path.resolve(scriptPath);
  for (const candidate of toolPathCandidates(tool)) {
    if (absolute.endsWith(candidate)) return absolute.slice(0, absolute.length - candidate.length) || '/';
  }
  return undefined;
}
