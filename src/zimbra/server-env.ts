import type { ZimbraPaths } from './paths.js';
import type { ZimbraVersion } from './version.js';
import type { Entry } from './zmprov-batch.js';

/** What was found about the server before anything is planned. */
export interface ServerEnv {
  version: ZimbraVersion;
  hostname: string;
  paths: ZimbraPaths;
  /** Servers running the MTA service with their attributes (`zmprov gas -v mta`, inherited values included); filled by the engine's read batch. */
  mtaServers: Entry[];
  /** localconfig.xml keys (read from the file, no JVM). */
  localconfig: Record<string, string>;
}
