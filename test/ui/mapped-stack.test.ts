import { buildSync } from 'esbuild';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { mappedStack } from '../../src/ui/mapped-stack.js';

/** A bundle of a two-line source, as the build writes it (a linked map beside the file); where `boom()` landed in it. */
function bundle(): { dir: string; out: string; line: number; column: number } {
  const dir = mkdtempSync(join(tmpdir(), 'mapped-stack-'));
  writeFileSync(join(dir, 'boom.ts'), 'const pad: number = 1;\nexport function boom(): void { throw new Error(`boom ${pad}`); }\n');
  const out = join(dir, 'out.js');
  buildSync({ entryPoints: [join(dir, 'boom.ts')], outfile: out, bundle: true, format: 'esm', platform: 'node', sourcemap: 'linked', logLevel: 'silent' });
  const lines = readFileSync(out, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes('throw new Error'));
  return { dir, out, line: line + 1, column: lines[line]!.indexOf('throw') + 1 };
}

describe('mappedStack', () => {
  test('a frame in a bundled file names the source file and line, by URL or by path', () => {
    const { dir, out, line, column } = bundle();
    const stack = `Error: boom 1\n    at boom (${pathToFileURL(out).href}:${line}:${column})\n    at ${out}:${line}:${column}`;
    const mapped = mappedStack(stack).split('\n');
    expect(mapped[0]).toBe('Error: boom 1');
    expect(mapped[1]).toBe(`    at boom (${join(dir, 'boom.ts')}:2:32)`);
    expect(mapped[2]).toBe(`    at ${join(dir, 'boom.ts')}:2:32`);
  });

  test('a frame without a map (node internals, a missing file) stays as it is', () => {
    const stack = 'Error: x\n    at run (node:internal/modules/run_main:117:5)\n    at /nonexistent/file.js:3:4';
    expect(mappedStack(stack)).toBe(stack);
  });
});
