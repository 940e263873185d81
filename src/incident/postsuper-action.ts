import type { Action } from '../core/types.js';
import type { ZimbraPaths } from '../zimbra/paths.js';

/** `postsuper -h|-H|-d -` with the ids on standard input, as root (it refuses anyone else): plan data for the apply engine. */
export function postsuperAction(paths: Pick<ZimbraPaths, 'postsuper'>, op: 'hold' | 'release' | 'delete', ids: readonly string[]): Action {
  const flag = { hold: '-h', release: '-H', delete: '-d' }[op];
  return { kind: 'run', command: paths.postsuper, args: [flag, '-'], user: 'root', input: `${ids.join('\n')}\n` };
}
