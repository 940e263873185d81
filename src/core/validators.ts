import { dirname } from 'node:path';
import { includeLoader } from '../apache/include-files.js';
import { readSections } from '../apache/sections.js';
import { UserError } from '../errors.js';
import { tempPathOf, type Host } from '../host/host.js';
import type { Action, Item, ServerEnv } from './types.js';

type WriteFile = Extract<Action, { kind: 'write-file' }>;

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

/** Whether a path lies where an Include pattern reads (the file, a folder's files, or a wildcard's folder). */
function readByInclude(path: string, pattern: string): boolean {
  const wild = pattern.search(/[*?[]/);
  const base = wild < 0 ? pattern : pattern.slice(0, pattern.lastIndexOf('/', wild));
  return path === base || path.startsWith(`${base}/`);
}

/**
 * The checks that passed before the first change, kept while their verdict cannot have changed,
 * so that the write does not run the same check on the same bytes again. `php -l` reads only the
 * file: its verdict stands. `apachectl -t` also reads what the configuration includes: its verdict
 * falls when an earlier step of the apply writes or removes such a file, or runs a command.
 */
export class PassedChecks {
  /** Per checked action: the Include patterns its check read, or undefined for a check of the file alone. */
  private readonly passed = new Map<WriteFile, string[] | undefined>();

  add(action: WriteFile, includes: string[] | undefined): void {
    this.passed.set(action, includes);
  }

  /** An apply step wrote or removed this path. */
  changed(path: string): void {
    for (const [action, includes] of this.passed) {
      if (includes?.some((pattern) => readByInclude(path, pattern))) this.passed.delete(action);
    }
  }

  /** An apply step ran a command, which may have changed any file. */
  ranCommand(): void {
    for (const [action, includes] of this.passed) if (includes !== undefined) this.passed.delete(action);
  }

  stands(action: WriteFile): boolean {
    return this.passed.has(action);
  }
}

/** The Include patterns of a new httpd.conf (as absolute paths), followed as Apache does. */
async function includePatterns(host: Host, env: ServerEnv, content: string, path: string): Promise<string[]> {
  const load = includeLoader(host);
  const patterns: string[] = [];
  await readSections({ path, content }, (pattern) => (patterns.push(pattern), load(pattern)), dirname(env.paths.apacheDocroot));
  return patterns;
}

/**
 * Checks every new file before the first change, so a bad one stops nothing half-done. Each is
 * checked where it will live and as the user that will read it: written beside its target under
 * the atomic write's temporary name, with the owner and mode the target will have, then removed
 * (a scratch folder of root's elsewhere is one that zimbra cannot read).
 */
export async function prevalidate(host: Host, env: ServerEnv, items: readonly Item[]): Promise<PassedChecks> {
  const passed = new PassedChecks();
  const files = items.flatMap((i) => i.actions).filter((a): a is WriteFile => a.kind === 'write-file' && a.validate !== undefined);
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
    if (action.validate !== 'apache-config') passed.add(action, undefined);
    else {
      // A configuration whose includes cannot be followed here is simply checked again when written.
      const includes = await includePatterns(host, env, action.content, action.path).catch(() => undefined);
      if (includes) passed.add(action, includes);
    }
  }
  return passed;
}
