/** A command to suggest to the user: on a simulated host (`--root DIR`) it carries that option, so it can be pasted as is. */
export function suggestCommand(root: string, rest: string): string {
  return `zimbra-harden${root === '/' ? '' : ` --root ${root}`} ${rest}`;
}

/** One word for /bin/sh: single-quoted, a quote inside written as '\''. */
export function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Where a printed command must point: the server root (`--root`) and a config file other than the default. */
export interface CommandTarget {
  root: string;
  config?: string;
}

/**
 * A zimbra-harden command that works when pasted into a shell as printed: `sudo` on a real
 * server, `--root DIR` (and `--config FILE`) where they were used, every value quoted.
 * `args`: the subcommand, then its arguments; words starting with `-` (flags) and `<placeholders>` stay bare.
 */
export function runnableCommand(target: CommandTarget, args: readonly string[]): string {
  const words = [target.root === '/' ? 'sudo zimbra-harden' : 'zimbra-harden'];
  if (target.root !== '/') words.push('--root', shellWord(target.root));
  if (target.config) words.push('--config', shellWord(target.config));
  args.forEach((a, i) => words.push(i === 0 || /^-{1,2}[a-z][a-z0-9-]*$/.test(a) || /^<[a-z]+>$/.test(a) ? a : shellWord(a)));
  return words.join(' ');
}
