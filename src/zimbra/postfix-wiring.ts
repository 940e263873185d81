import type { PostconfReader } from './postconf.js';
import type { ServerEnv } from './server-env.js';
import { atLeast } from './version.js';

export const POLICY_PARAMS = ['smtpd_recipient_restrictions', 'smtpd_sender_restrictions', 'smtpd_end_of_data_restrictions'] as const;

export interface Wiring {
  /** Parameters that must call the policy service on this version. */
  required: string[];
  /** Required parameters that do not. */
  missing: string[];
  /** `name = value` lines as postconf printed them, for evidence. */
  evidence: string[];
  port: number;
}

/** cbpolicyd's port: `zimbraCBPolicydBindPort` on 8.5+, localconfig `cbpolicyd_bind_port` before. */
export function policyPort(env: ServerEnv): number {
  const local = env.mtaServers.find((s) => s.name.toLowerCase() === env.hostname.toLowerCase());
  const raw = atLeast(env.version, 8, 5) ? local?.attrs.zimbraCBPolicydBindPort?.[0] : env.localconfig.cbpolicyd_bind_port;
  const port = Number(raw ?? 10031);
  return Number.isInteger(port) && port > 0 ? port : 10031;
}

/** Which restrictions must call cbpolicyd: 7.x wires recipient (via zimbraMtaRestriction) and end-of-data; 8.0+ all three. */
export function requiredParams(env: ServerEnv): string[] {
  return atLeast(env.version, 8, 0)
    ? [...POLICY_PARAMS]
    : ['smtpd_recipient_restrictions', 'smtpd_end_of_data_restrictions'];
}

export function callsPolicy(value: string, port: number): boolean {
  const re = new RegExp(`check_policy_service\\s+inet:(?:localhost|127\\.0\\.0\\.1|\\[::1\\]):${port}(?![0-9])`);
  return re.test(value);
}

/** Reads the live Postfix restrictions (POLICY_PARAMS) with `postconf` and tells which lack the policy check. */
export async function readWiring(postconf: PostconfReader, env: ServerEnv): Promise<Wiring> {
  const port = policyPort(env);
  const required = requiredParams(env);
  const result = await postconf.params(POLICY_PARAMS);
  const { values } = result;
  const missing = required.filter((p) => !callsPolicy(values.get(p) ?? '', port));
  const evidence = POLICY_PARAMS.map((p) => `${p} = ${values.get(p) ?? ''}`);
  if (result.exitCode !== 0) evidence.push(`postconf exited ${result.exitCode}: ${result.stderr.trim()}`);
  return { required, missing, evidence, port };
}
