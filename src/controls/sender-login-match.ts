import type { Action, Control, Item } from '../core/types.js';
import { atLeast } from '../zimbra/version.js';
import { parseAttrs, parseEntries, type ZmprovResult } from '../zimbra/zmprov-batch.js';
import { hasMismatchToken, LDAP_SLM, MISMATCH, readLiveSenderLogin, SENDER_LOGIN_PARAMS, withLoginMap, withMismatch, withoutMismatch, type LiveSenderLogin } from '../zimbra/sender-login.js';

export const SENDER_LOGIN_MATCH = 'sender-login-match';
const RESTRICTIONS = 'zimbraMtaSmtpdSenderRestrictions';
const LOGIN_MAPS = 'zimbraMtaSmtpdSenderLoginMaps';

const RISK = 'users who send as an address that is neither theirs, an alias nor in zimbraAllowFromAddress get "553 5.7.1 Sender address rejected: not owned by user"';

/** 8.5+ only (before, there is nothing to read). */
export interface SenderLoginFacts {
  /** gcf of both attributes, then the server's own values (gs -e). */
  reads: ZmprovResult[];
  /** What `postconf` says Postfix runs with. */
  live?: LiveSenderLogin;
  /** Zimbra's LDAP sender login map file exists (zmmtainit writes it). */
  loginMapFile: boolean;
}

/**
 * 8.5+: `reject_authenticated_sender_login_mismatch` with Zimbra's LDAP sender login map, so an
 * SMTP AUTH user can only send as their own addresses, aliases and allowed-from addresses: a stolen
 * account can no longer forge a new sender (and with it a fresh per-sender quota) for each message.
 * Off unless asked for; a suggestion in the audit. Applied with the MTA restart.
 */
export const senderLoginMatchControl: Control<SenderLoginFacts> = {
  id: SENDER_LOGIN_MATCH,
  title: 'SMTP AUTH users may only send as their own addresses',

  reads(env) {
    return atLeast(env.version, 8, 5) ? [['gcf', RESTRICTIONS], ['gcf', LOGIN_MAPS], ['gs', '-e', env.hostname, RESTRICTIONS, LOGIN_MAPS]] : [];
  },

  postconf(env) {
    return atLeast(env.version, 8, 5) ? SENDER_LOGIN_PARAMS : [];
  },

  async gather({ host, env, reads, postconf }) {
    if (!atLeast(env.version, 8, 5)) return { reads, loginMapFile: false };
    const [live, file] = [await readLiveSenderLogin(postconf), await host.stat(env.paths.ldapSlmCf)];
    return { reads, live, loginMapFile: file?.isFile ?? false };
  },

  plan({ reads, live: postconf, loginMapFile }, { env, settings }) {
    const base = { control: SENDER_LOGIN_MATCH, subject: env.hostname, actions: [] as Action[], restart: [] as Item['restart'] };
    if (!atLeast(env.version, 8, 5)) {
      return [{ ...base, status: 'skip', message: `ZCS ${env.version.major}.${env.version.minor} has no ${RESTRICTIONS} (8.5+): Postfix cannot be told to match sender and login through Zimbra` }];
    }
    const global = { ...parseAttrs(reads[0]?.stdout ?? ''), ...parseAttrs(reads[1]?.stdout ?? '') };
    const own = parseEntries(reads[2]?.stdout ?? '')[0]?.attrs ?? {};
    const effective = (attr: string) => (own[attr] ?? global[attr] ?? []).join(' ');
    /** A value of the server's own (gs -e) wins over the global one: write where the effective value comes from. */
    const write = (attr: string, value: string): Action => ({ kind: 'zmprov', argv: own[attr] !== undefined ? ['ms', env.hostname, attr, value] : ['mcf', attr, value] });
    const restrictions = effective(RESTRICTIONS);
    const maps = effective(LOGIN_MAPS);
    const live = postconf ?? { restrictions: '', loginMaps: '', present: false, enforced: false };
    const evidence = [`postconf: smtpd_sender_restrictions = ${live.restrictions}`, `postconf: smtpd_sender_login_maps = ${live.loginMaps}`];
    const want = settings.senderLoginMatch;

    if (want === undefined) {
      if (hasMismatchToken(restrictions) && live.enforced) return [{ ...base, status: 'ok', message: 'on: SMTP AUTH users can only send as their own addresses' }];
      return [{
        ...base,
        status: 'skip',
        severity: 'suggestion',
        message: `off (not asked for): a stolen account can send as any address; turn it on with --sender-login-match (config senderLoginMatch: true)`,
        details: [`before turning it on: ${RISK}; declare such addresses first (zmprov ma user +zimbraAllowFromAddress addr)`],
      }];
    }

    if (want) {
      if (!loginMapFile) {
        return [{ ...base, status: 'skip', severity: 'warning', message: `${env.paths.ldapSlmCf} is missing (zmmtainit writes it): Postfix could not look logins up, so the check is not turned on`, details: [`as root: ${env.paths.zmmtainit}, then run apply again`] }];
      }
      const actions: Action[] = [];
      if (!hasMismatchToken(restrictions)) actions.push(write(RESTRICTIONS, withMismatch(restrictions)));
      if (!maps.includes(LDAP_SLM)) actions.push(write(LOGIN_MAPS, withLoginMap(maps)));
      if (actions.length > 0) {
        return [{ ...base, status: 'change', severity: 'warning', message: `turn on ${MISMATCH}: an SMTP AUTH user may then only send as their own addresses, aliases and allowed-from addresses`, actions, restart: ['mta'], details: [`mind: ${RISK}`] }];
      }
      if (!live.enforced) {
        return [{ ...base, status: 'change', severity: 'warning', message: 'on in LDAP but not in Postfix yet: the MTA must restart', restart: ['mta'], details: evidence }];
      }
      return [{ ...base, status: 'ok', message: 'on: SMTP AUTH users can only send as their own addresses' }];
    }

    if (hasMismatchToken(restrictions)) {
      return [{ ...base, status: 'change', message: `turn off ${MISMATCH} as configured (--no-sender-login-match)`, actions: [write(RESTRICTIONS, withoutMismatch(restrictions))], restart: ['mta'] }];
    }
    if (live.present) return [{ ...base, status: 'change', message: 'off in LDAP but still on in Postfix: the MTA must restart', restart: ['mta'], details: evidence }];
    return [{ ...base, status: 'ok', message: 'off, as configured (--no-sender-login-match)' }];
  },

  /** A change was applied: Postfix now enforces the check when it was asked for (senderLoginMatch), or no longer runs it. */
  async verify({ settings, items, postconf }) {
    if (!items.some((i) => i.status === 'change')) return [];
    const live = await readLiveSenderLogin(postconf);
    const wanted = settings.senderLoginMatch === true;
    const good = wanted ? live.enforced : !live.present;
    return [{
      ok: good,
      message: good ? `Postfix ${wanted ? 'enforces' : 'no longer runs'} ${MISMATCH}` : `Postfix does NOT ${wanted ? 'enforce' : 'drop'} ${MISMATCH} after the MTA restart`,
      evidence: [`smtpd_sender_restrictions = ${live.restrictions}`, `smtpd_sender_login_maps = ${live.loginMaps}`],
    }];
  },
};
