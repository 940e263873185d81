/** A command to suggest to the user: on a simulated host (`--root DIR`) it carries that option, so it can be pasted as is. */
export function suggestCommand(root: string, rest: string): string {
  return `zimbra-harden${root === '/' ? '' : ` --root ${root}`} ${rest}`;
}
