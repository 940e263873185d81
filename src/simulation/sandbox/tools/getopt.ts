/**
 * glibc getopt() as Postfix's GETOPT macro calls it on Linux (optstring prefixed with "+": no
 * argument permutation, options stop at the first operand or at `--`), with glibc's messages.
 */
export interface GetoptResult {
  /** Options in command-line order; `value` for options that take an argument. */
  options: { flag: string; value?: string }[];
  operands: string[];
  /** glibc's complaint, when an option is unknown or lacks its argument. */
  error?: string;
}

export function getopt(program: string, args: readonly string[], optstring: string): GetoptResult {
  const options: GetoptResult['options'] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('-') || arg === '-') break;
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      const at = optstring.indexOf(flag);
      if (at < 0 || flag === ':') return { options, operands: [], error: `${program}: invalid option -- '${flag}'` };
      if (optstring[at + 1] !== ':') {
        options.push({ flag });
        continue;
      }
      const inline = arg.slice(j + 1);
      if (inline !== '') options.push({ flag, value: inline });
      else if (i + 1 < args.length) options.push({ flag, value: args[++i]! });
      else return { options, operands: [], error: `${program}: option requires an argument -- '${flag}'` };
      break;
    }
  }
  return { options, operands: args.slice(i) };
}
