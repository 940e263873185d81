import { quote } from 'shell-quote';

/** An argument as a POSIX shell reads it: plain names as they are, anything else quoted. */
function shellArg(arg: string): string {
  return /^[\w.,:/=@%+-]+$/.test(arg) ? arg : quote([arg]);
}

/**
 * A command to suggest to the user: on a simulated host (`--root DIR`) it carries that option, so it
 * can be pasted as is. `args` are values (names read from the server), quoted where a shell needs it.
 */
export function suggestCommand(root: string, rest: string, args: readonly string[] = []): string {
  const tail = args.map((a) => ` ${shellArg(a)}`).join('');
  return `zimbra-harden${root === '/' ? '' : ` --root ${shellArg(root)}`} ${rest}${tail}`;
}
