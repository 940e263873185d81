import { UserError } from '../errors.js';
import { tempPathOf, type Host } from '../host/host.js';
import type { Action, Item, ServerEnv } from './types.js';

export type Validator = 'php-lint' | 'apache-config';

/** Zimbra's own PHP where present (it serves the web UI), else the system's. */
export async function phpBinary(host: Host, env: ServerEnv): Promise<string> {
  return (await host.stat(env.paths.php))?.isFile ? env.paths.php : 'php';
}

/** Runs a file check on a host path (a temporary file before it replaces the target). */
export async function runValidator(host: Host, env: ServerEnv, validator: Validator, hostPath: string, target: string): Promise<void> {
  if (validator === 'php-lint') {
    const php = await phpBinary(host, env);
    const result = await host.exec(php, ['-l', hostPath]);
    if (result.failedToStart) throw new UserError(`cannot check ${target}: no PHP found (${php}); install php-cli`);
    if (result.exitCode !== 0) {
      const said = (result.stdout + result.stderr).replaceAll(hostPath, target).trim();
      throw new UserError(`php -l rejects the new ${target}: ${said}`);
    }
    return;
  }
  const apachectl = env.paths.apachectl;
  // Zimbra's Apache runs as zimbra: the check reads the file as Apache will.
  const result = await host.exec(apachectl, ['-t', '-f', hostPath], { user: 'zimbra' });
  if (result.failedToStart) throw new UserError(`cannot check ${target}: Zimbra's apachectl (${apachectl}) does not run: ${result.stderr.trim()}`);
  if (result.exitCode !== 0) {
    throw new UserError(`apachectl -t rejects the new ${target}: ${(result.stdout + result.stderr).replaceAll(hostPath, target).trim()}`);
  }
}

/**
 * Checks every new file before the first change, so a bad one stops nothing half-done. Each is
 * checked where it will live and as the user that will read it: written beside its target under
 * the atomic write's temporary name, with the owner and mode the target will have, then removed
 * (a scratch folder of root's elsewhere is one that zimbra cannot read).
 */
export async function prevalidate(host: Host, env: ServerEnv, items: readonly Item[]): Promise<void> {
  const files = items.flatMap((i) => i.actions).filter((a): a is Extract<Action, { kind: 'write-file' }> => a.kind === 'write-file' && a.validate !== undefined);
  for (const action of files) {
    const target = await host.stat(action.path);
    const check = tempPathOf(action.path);
    await host.mkdir(action.path.slice(0, action.path.lastIndexOf('/')));
    try {
      await host.writeFileAtomic(check, action.content, {
        mode: action.mode ?? target?.mode,
        uid: action.owner?.uid ?? target?.uid,
        gid: action.owner?.gid ?? target?.gid,
      });
      await runValidator(host, env, action.validate!, host.resolve(check), action.path);
    } finally {
      await host.remove(check);
    }
  }
}
