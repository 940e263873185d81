/** A command context over a memory host whose output is kept as text. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Context } from '../../src/commands/context.js';
import type { Host } from '../../src/host/host.js';
import { createOutput } from '../../src/ui/output.js';

export function memoryContext(host: Host, options: Context['options'] = {}) {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough().on('data', (chunk) => (stdout += String(chunk)));
  const err = new PassThrough().on('data', (chunk) => (stderr += String(chunk)));
  const ctx: Context = {
    host,
    out: createOutput({ json: options.json ?? false }, out, err),
    configPath: join(mkdtempSync(join(tmpdir(), 'zh-config-')), 'config.json'),
    interactive: false,
    options,
  };
  return { ctx, stdout: () => stdout, stderr: () => stderr };
}
