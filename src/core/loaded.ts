/**
 * What the running services have loaded, as far as it can be seen from outside: Apache reads
 * httpd.conf when it starts and writes its pid file then, so an httpd.conf newer than the pid
 * file is a change Apache has not loaded.
 */
import type { ReadHost } from '../host/host.js';
import type { ServerEnv, Service } from './types.js';

export interface Stale {
  service: Service;
  why: string;
}

export async function staleServices(host: ReadHost, env: ServerEnv): Promise<Stale[]> {
  const [pid, conf] = await Promise.all([host.stat(env.paths.httpdPid), host.stat(env.paths.httpdConf)]);
  if (!pid || !conf || conf.mtimeMs <= pid.mtimeMs) return [];
  const at = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return [{ service: 'apache', why: `${env.paths.httpdConf} changed at ${at(conf.mtimeMs)} UTC, after Apache started (${at(pid.mtimeMs)} UTC): Apache has not loaded it` }];
}
