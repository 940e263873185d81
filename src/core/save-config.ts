import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Settings } from './settings.js';

/** Writes the settings an apply used (root-only), unless the file already says exactly that. */
export async function saveConfig(path: string, settings: Settings): Promise<void> {
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  if ((await readFile(path, 'utf8').catch(() => undefined)) === text) return;
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, path);
}
