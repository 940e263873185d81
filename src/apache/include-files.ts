import type { ReadHost } from '../host/host.js';
import type { ConfigFile, IncludeLoader } from './sections.js';

/**
 * Reads what an Include names, as Apache does: a file, every file of a folder, or a wildcard in
 * the last part (matches in name order). Missing files are none (IncludeOptional; a missing
 * plain Include would stop Apache's own syntax check anyway).
 */
export function includeLoader(host: ReadHost): IncludeLoader {
  return async (pattern: string): Promise<ConfigFile[]> => {
    const slash = pattern.lastIndexOf('/');
    const dir = pattern.slice(0, slash) || '/';
    const last = pattern.slice(slash + 1);
    let paths: string[];
    if (/[*?[]/.test(last)) {
      const re = new RegExp(`^${last.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      paths = (await host.list(dir)).filter((name) => re.test(name) && !name.startsWith('.')).map((name) => `${dir}/${name}`);
    } else if ((await host.stat(pattern))?.isDirectory) {
      paths = (await host.list(pattern)).filter((name) => !name.startsWith('.')).map((name) => `${pattern}/${name}`);
    } else {
      paths = [pattern];
    }
    const files: ConfigFile[] = [];
    for (const path of paths) {
      if (!(await host.stat(path))?.isFile) continue;
      const content = await host.readFile(path);
      if (content !== undefined) files.push({ path, content });
    }
    return files;
  };
}
