/**
 * Failures of the world rather than of the program, thrown by Node or nodemailer as plain
 * errors: each gets one line and its sysexits code instead of "internal error".
 */
import { EXIT } from './errors.js';

const FILE_CODES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
};

/** nodemailer's codes for a mail server that refused or could not be reached, and Node's network codes. */
const NETWORK_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'EENVELOPE', 'EMESSAGE', 'EPROTOCOL', 'EAUTH', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);

export interface Operational {
  message: string;
  exitCode: number;
}

export function operationalError(error: unknown): Operational | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as NodeJS.ErrnoException & { response?: string };
  const code = e.code ?? '';
  if (code in FILE_CODES) {
    const verb = e.syscall === 'open' || e.syscall === 'scandir' || e.syscall === 'stat' ? 'cannot open' : 'cannot write';
    return { message: `${verb} ${e.path ?? 'a file'}: ${FILE_CODES[code]}${e.syscall ? ` (${e.syscall})` : ''}`, exitCode: EXIT.cantCreate };
  }
  if (NETWORK_CODES.has(code)) {
    const said = (e.response ?? e.message).split('\n')[0];
    return { message: `the mail or network service refused or did not answer: ${said}`, exitCode: EXIT.unavailable };
  }
  return undefined;
}
