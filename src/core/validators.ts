import { UserError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { ServerEnv } from './types.js';

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
  const result = await host.exec(apachectl, ['-t', '-f', hostPath], { user: 'zimbra' });
  if (result.failedToStart) throw new UserError(`cannot check ${target}: Zimbra's apachectl (${apachectl}) does not run: ${result.stderr.trim()}`);
  if (result.exitCode !== 0) {
    throw new UserError(`apachectl -t rejects the new ${target}: ${(result.stdout + result.stderr).replaceAll(hostPath, target).trim()}`);
  }
}
