import type { ServerEnv } from '../zimbra/server-env.js';
import type { ReadHost } from '../host/host.js';
import type { PostconfReader } from '../zimbra/postconf.js';
import { isLive, pathLists, type MasterOverride, type PathLists } from './counting.js';
import { policyPort } from '../zimbra/postfix-wiring.js';
import { atLeast } from '../zimbra/version.js';

export interface PolicyPaths {
  port: number;
  paths: PathLists[];
  /** false: Postfix does not ask cbpolicyd yet; `paths` is what zmconfigd renders once it does. */
  live: boolean;
  /** Postfix mynetworks: where the mailbox servers (webmail) submit from without AUTH. */
  mynetworks: string[];
  /** Lines of evidence or caveats for the report. */
  notes: string[];
}

/** Parses `postconf -P` lines (`service/type/param = value`). */
export function parseMasterParams(output: string): MasterOverride[] {
  const out: MasterOverride[] = [];
  for (const line of output.split('\n')) {
    const m = /^([^/\s]+)\/([^/\s]+)\/(\S+)\s*=\s?(.*)$/.exec(line);
    if (m) out.push({ service: m[1]!, type: m[2]!, param: m[3]!, value: m[4]! });
  }
  return out;
}

/** The `-o name=value` options of master.cf, for a Postfix without `postconf -P` (before 2.11, ZCS 7). */
export function parseMasterCf(text: string): MasterOverride[] {
  const out: MasterOverride[] = [];
  let current: { service: string; type: string } | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const words = line.trim().split(/\s+/);
    let from = 0;
    if (!/^\s/.test(line)) {
      current = words.length >= 8 ? { service: words[0]!, type: words[1]! } : undefined;
      from = 8;
    }
    for (let i = from; i < words.length; i++) {
      if (words[i] !== '-o' || !current) continue;
      const spec = words[++i] ?? '';
      const eq = spec.indexOf('=');
      if (eq > 0) out.push({ ...current, param: spec.slice(0, eq), value: spec.slice(eq + 1) });
    }
  }
  return out;
}

/**
 * What zmconfigd renders once cbpolicyd is enabled and the MTA restarted (the zmconfigd/*.cf
 * templates of github.com/Zimbra/zm-mta, master.cf.in of github.com/Zimbra/zm-postfix):
 * 8.0+ puts the check first in the recipient list, and (2013 maintenance releases on) first in
 * the sender list; master.cf empties the recipient list of 465/587. 7.x only has the recipe's
 * zimbraMtaRestriction, which lands after permit_sasl_authenticated and permit_mynetworks.
 */
export function predictedPaths(env: ServerEnv, port: number): PathLists[] {
  const check = `check_policy_service inet:localhost:${port}`;
  if (!atLeast(env.version, 8, 0)) {
    const recipient = `reject_non_fqdn_recipient, permit_sasl_authenticated, permit_mynetworks, reject_unauth_destination, reject_unlisted_recipient, check_policy_service inet:127.0.0.1:${port}, permit`;
    return pathLists({ sender: '', recipient }, []);
  }
  const sender = atLeast(env.version, 8, 0, 5) ? `${check}, permit_mynetworks, permit_sasl_authenticated, permit_tls_clientcerts` : 'permit_mynetworks, permit_sasl_authenticated';
  const recipient = `${check}, reject_non_fqdn_recipient, permit_sasl_authenticated, permit_mynetworks, reject_unlisted_recipient, permit`;
  const empty = (service: string): MasterOverride => ({ service, type: 'inet', param: 'smtpd_recipient_restrictions', value: '' });
  return pathLists({ sender, recipient }, [empty('submission'), empty('465')]);
}

/** The postconf parameters readPolicyPaths reads (besides `postconf -P`). */
export const POLICY_PATH_PARAMS = ['smtpd_sender_restrictions', 'smtpd_recipient_restrictions', 'mynetworks'] as const;

/** Reads the live wiring (`postconf`, `postconf -P`); falls back to the prediction when it is not live yet. */
export async function readPolicyPaths(host: ReadHost, postconf: PostconfReader, env: ServerEnv): Promise<PolicyPaths> {
  const port = policyPort(env);
  const notes: string[] = [];
  const { values } = await postconf.params(POLICY_PATH_PARAMS);
  let overrides: MasterOverride[];
  const master = await postconf.master();
  if (master.exitCode === 0) {
    overrides = parseMasterParams(master.stdout);
  } else {
    overrides = parseMasterCf((await host.readFile(env.paths.postfixMasterCf)) ?? '');
    notes.push(`this Postfix has no postconf -P: read the -o options of ${env.paths.postfixMasterCf}`);
  }
  const live = pathLists({ sender: values.get('smtpd_sender_restrictions') ?? '', recipient: values.get('smtpd_recipient_restrictions') ?? '' }, overrides);
  const mynetworks = (values.get('mynetworks') ?? '').split(/[\s,]+/).filter((t) => t !== '');
  if (isLive(live, port)) return { port, paths: live, live: true, mynetworks, notes };
  notes.push(`Postfix does not ask cbpolicyd yet: counting computed from what zmconfigd renders for ZCS ${env.version.major}.${env.version.minor} once cbpolicyd is enabled and the MTA restarted`);
  return { port, paths: predictedPaths(env, port), live: false, mynetworks, notes };
}
