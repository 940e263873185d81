/** zmlocalconfig [-s] [-x] [-q] [-m nokey|shell|plain] [key…] | -e key=value… | -u key… ; zmhostname. */
import { expandValue, readLocalConfigSync, writeLocalConfigSync } from '../localconfig.js';
import { withLockSync } from '../state.js';
import type { ToolContext } from './context.js';

const USAGE = 'usage: zmlocalconfig [-f file] [-s] [-x] [-q] [-m nokey|shell|plain|export|xml] [-e key=value ...] [-u key ...] [key ...]\n';

export function zmlocalconfig(ctx: ToolContext): number {
  let showSecrets = false;
  let expand = false;
  let quiet = false;
  let mode = 'plain';
  let action: 'show' | 'edit' | 'unset' = 'show';
  const keys: string[] = [];
  const args = [...ctx.args];
  while (args.length > 0) {
    const arg = args.shift() as string;
    if (arg === '-s' || arg === '--show') showSecrets = true;
    else if (arg === '-x' || arg === '--expand') expand = true;
    else if (arg === '-q' || arg === '--quiet') quiet = true;
    else if (arg === '-e' || arg === '--edit') action = 'edit';
    else if (arg === '-u' || arg === '--unset') action = 'unset';
    else if (arg === '-m' || arg === '--format') {
      mode = args.shift() ?? '';
      if (!['nokey', 'shell', 'plain', 'export'].includes(mode)) {
        ctx.err(`ERROR: unknown format: ${mode}\n${USAGE}`);
        return 1;
      }
    } else if (arg.startsWith('-')) {
      ctx.err(`Unrecognized option: ${arg}\n${USAGE}`);
      return 1;
    } else keys.push(arg);
  }
  if (action !== 'show') {
    return withLockSync(ctx.root, () => {
      const lc = readLocalConfigSync(ctx.root);
      for (const spec of keys) {
        if (action === 'unset') {
          lc.delete(spec);
          continue;
        }
        const eq = spec.indexOf('=');
        if (eq <= 0) {
          ctx.err(`ERROR: argument '${spec}' not in key=value form\n`);
          return 1;
        }
        lc.set(spec.slice(0, eq), spec.slice(eq + 1));
      }
      writeLocalConfigSync(ctx.root, lc);
      return 0;
    });
  }
  const lc = readLocalConfigSync(ctx.root);
  const wanted = keys.length > 0 ? keys : [...lc.keys()].sort();
  for (const key of wanted) {
    const raw = lc.get(key);
    if (raw === undefined) {
      if (!quiet) ctx.err(`Warning: null valued key '${key}'\n`);
      continue;
    }
    let value = expand ? expandValue(lc, raw) : raw;
    if (!showSecrets && /password/.test(key)) value = '*'.repeat(8);
    if (mode === 'nokey') ctx.out(`${value}\n`);
    else if (mode === 'shell') ctx.out(`${key}='${value.replace(/'/g, "'\\''")}';\n`);
    else if (mode === 'export') ctx.out(`export ${key}='${value.replace(/'/g, "'\\''")}';\n`);
    else ctx.out(`${key} = ${value}\n`);
  }
  return 0;
}

/** zmhostname: the local server name from localconfig. */
export function zmhostname(ctx: ToolContext): number {
  ctx.out(`${readLocalConfigSync(ctx.root).get('zimbra_server_hostname') ?? ''}\n`);
  return 0;
}
