/** Values of `reject_authenticated_sender_login_mismatch` and the sender login maps (zmconfigd/smtpd_sender_*.cf in github.com/Zimbra/zm-mta). */
import type { PostconfReader } from './postconf.js';
import { COMMON_PATHS } from './paths.js';

export const MISMATCH = 'reject_authenticated_sender_login_mismatch';
export const LDAP_SLM = `proxy:ldap:${COMMON_PATHS.ldapSlmCf}`;

/** zmconfigd renders the restriction when it is one of the value's tokens (`%%exact%%`). */
export function hasMismatchToken(value: string): boolean {
  return value.split(/[\s,]+/).includes(MISMATCH);
}

/** zimbraMtaSmtpdSenderRestrictions is single-valued: the token goes first, the rest is kept. */
export function withMismatch(value: string): string {
  return hasMismatchToken(value) ? value : [MISMATCH, value.trim()].filter((v) => v !== '').join(' ');
}

export function withoutMismatch(value: string): string {
  return value
    .split(/[\s,]+/)
    .filter((t) => t !== '' && t !== MISMATCH)
    .join(' ');
}

/** The template emits the LDAP map when the value contains it (`%%contains%%`). */
export function withLoginMap(value: string): string {
  return value.includes(LDAP_SLM) ? value : [value.trim(), LDAP_SLM].filter((v) => v !== '').join(' ');
}

export interface LiveSenderLogin {
  restrictions: string;
  loginMaps: string;
  /** Postfix enforces it: the restriction is in smtpd_sender_restrictions and a login map is set. */
  enforced: boolean;
  present: boolean;
}

/** The postconf parameters readLiveSenderLogin reads. */
export const SENDER_LOGIN_PARAMS = ['smtpd_sender_restrictions', 'smtpd_sender_login_maps'] as const;

/** What Postfix runs with, from `postconf`. */
export async function readLiveSenderLogin(postconf: PostconfReader): Promise<LiveSenderLogin> {
  const { values } = await postconf.params(SENDER_LOGIN_PARAMS);
  const restrictions = values.get('smtpd_sender_restrictions') ?? '';
  const loginMaps = values.get('smtpd_sender_login_maps') ?? '';
  const present = hasMismatchToken(restrictions);
  return { restrictions, loginMaps, present, enforced: present && loginMaps.trim() !== '' };
}
