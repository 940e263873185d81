/** From the server's wiring and the settings to the rows to write (design.ts). */
import { isIPv6 } from 'node:net';
import { SETTINGS } from './options.js';
import type { Settings } from './settings.js';
import type { ServerEnv } from '../zimbra/server-env.js';
import { timesCounted, type ClientClass, type PathId } from '../cbpolicyd/counting.js';
import { perAccountDesign, recipeDesign, type QuotaDesign } from '../cbpolicyd/design.js';
import type { PolicyPaths } from '../cbpolicyd/policy-paths.js';

const { limit, periodSeconds, style } = SETTINGS.quota;

export interface QuotaSettings {
  limit: number;
  period: number;
  style: 'per-account' | 'recipe';
}

export function quotaSettings(settings: Settings): QuotaSettings {
  return {
    limit: settings.quota?.limit ?? limit.default,
    period: settings.quota?.periodSeconds ?? periodSeconds.default,
    style: settings.quota?.style ?? style.default,
  };
}

/** The server path of the policy DB: localconfig cbpolicyd_db_file (expanded), else the default. */
export function policyDbPath(env: ServerEnv): string {
  const raw = env.localconfig.cbpolicyd_db_file;
  if (!raw) return env.paths.policyDb;
  const expanded = raw.replace(/\$\{(\w+)\}/g, (_, key: string) => (key === 'zimbra_home' ? env.paths.zimbraHome : (env.localconfig[key] ?? '')));
  return expanded.startsWith('/') && !expanded.includes('${') ? expanded : env.paths.policyDb;
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
/** An address with an optional prefix length; Postfix writes IPv6 in brackets: `[fd00::]/64`, `[::1]`. */
const ADDRESS_PREFIX = /^(?:\[([^\]]+)\]|([^[\]/]+))(?:\/(\d{1,3}))?$/;

/**
 * A Postfix IPv6 entry as a cbpolicyd member: without brackets (cbpolicyd reads `[…]` as the
 * address of the MTA asking it and calls `[…]/64` "not a valid specification") and in the
 * compressed form of RFC 5952, which its address pattern accepts; undefined when not IPv6.
 */
function ipv6Member(entry: string): string | undefined {
  const m = ADDRESS_PREFIX.exec(entry);
  const raw = m?.[1] ?? m?.[2] ?? '';
  const bits = m?.[3];
  if (!isIPv6(raw) || raw.includes('%') || (bits !== undefined && Number(bits) > 128)) return undefined;
  const address = new URL(`http://[${raw}]/`).hostname.slice(1, -1);
  return bits === undefined ? address : `${address}/${Number(bits)}`;
}

/** The networks of mynetworks as cbpolicyd members (IPv4 as is, IPv6 unbracketed); others (hostnames, tables) are left out. */
export function submitters(mynetworks: readonly string[]): { members: string[]; skipped: string[] } {
  const members: string[] = [];
  const skipped: string[] = [];
  for (const entry of mynetworks) {
    const member = IPV4_CIDR.test(entry) ? entry : ipv6Member(entry);
    if (member === undefined) skipped.push(entry);
    else if (!members.includes(member)) members.push(member);
  }
  return { members, skipped };
}

function counts(paths: PolicyPaths, client: ClientClass): Record<PathId, number> {
  const out = { smtp: 0, submission: 0, smtps: 0 } as Record<PathId, number>;
  for (const p of paths.paths) out[p.id] = timesCounted(p, paths.port, client);
  return out;
}

export interface QuotaPlanInput {
  design: QuotaDesign;
  /** false: Postfix permits authenticated and webmail mail before it asks cbpolicyd (7.x): the rows count nothing outbound. */
  counted: boolean;
  /** Caveats to show with the item. */
  notes: string[];
}

export function buildDesign(env: ServerEnv, settings: Settings, paths: PolicyPaths): QuotaPlanInput {
  const q = quotaSettings(settings);
  const { members, skipped } = submitters(paths.mynetworks);
  const input = { limit: q.limit, period: q.period, sasl: counts(paths, 'sasl'), mynetworks: counts(paths, 'mynetworks'), submitters: members };
  const design = q.style === 'recipe' ? recipeDesign(input) : perAccountDesign(input);
  const notes = [...paths.notes];
  if (skipped.length > 0 && q.style === 'per-account') notes.push(`mynetworks entries left out of the webmail group (cbpolicyd matches addresses and networks only): ${skipped.join(' ')}`);
  if (Object.values(input.sasl).every((k) => k === 0)) {
    notes.push(
      `ZCS ${env.version.major}.${env.version.minor}: Postfix lets SMTP AUTH clients through (permit_sasl_authenticated) before it asks cbpolicyd, and submission has no policy check at all: no quota can count authenticated mail here`,
    );
  }
  if (q.style === 'per-account' && input.mynetworks.smtp === 0) notes.push('webmail is not counted: Postfix permits mynetworks before it asks cbpolicyd');
  const counted = Object.values(input.sasl).some((k) => k > 0) || input.mynetworks.smtp > 0;
  return { design, notes, counted };
}
