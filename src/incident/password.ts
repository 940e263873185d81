/**
 * The new password: crypto-random, and kept out of everything that is shown or logged. The plan
 * holds a placeholder; only zmprov's standard input gets the real value, through a host wrapper.
 */
import { randomInt } from 'node:crypto';
import type { ExecOptions, Host } from '../host/host.js';
import { zmprovBatchInput } from '../zimbra/zmprov-batch.js';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const PUNCT = '-_.+=%';

/** 20 characters (about 115 bits), at least one of each class so that common password policies accept it. */
export function newPassword(length = 20): string {
  const all = LOWER + UPPER + DIGITS + PUNCT;
  const chars = [LOWER, UPPER, DIGITS, PUNCT].map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** The batch line of `sp ACCOUNT <placeholder>` as the engine writes it. */
function batchLine(account: string, password: string): string {
  return zmprovBatchInput([['sp', account, password]]).split('\n')[0]!;
}

/**
 * The host, except that zmprov's standard input gets the real password where the plan's `sp`
 * line has the placeholder. Nothing else sees it: not the plan, the JSON, the diffs nor the logs.
 */
export function withPassword(host: Host, zmprov: string, account: string, placeholder: string, password: string): Host {
  const marker = `\n${batchLine(account, placeholder)}\n`;
  const real = `\n${batchLine(account, password)}\n`;
  const exec = (command: string, args: readonly string[], options?: ExecOptions) => {
    const input = options?.input;
    if (command !== zmprov || input === undefined || !`\n${input}`.includes(marker)) return host.exec(command, args, options);
    return host.exec(command, args, { ...options, input: `\n${input}`.replace(marker, real).slice(1) });
  };
  return new Proxy(host, {
    get(target, prop) {
      if (prop === 'exec') return exec;
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
