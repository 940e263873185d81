import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of src/ drawn in README's Development section, lowest first: a file may import from
 * its own layer and the ones below it, never from above. apache and zimbra share a layer; the
 * simulation may use everything below commands, and only the sandbox command uses it.
 */
const LAYERS: string[][] = [
  ['errors.ts', 'version.ts', 'operational-error.ts'],
  ['host'],
  ['apache', 'zimbra'],
  ['cbpolicyd'],
  ['core'],
  ['ui'],
  ['monitor'],
  ['controls'],
  ['incident'],
  ['simulation'],
  ['commands'],
  ['wizard'],
  ['cli.ts', 'start.ts'],
];

const SRC = resolve('src');

function layerOf(file: string): number {
  const top = relative(SRC, file).split('/')[0]!.replace(/\.js$/, '.ts');
  const index = LAYERS.findIndex((names) => names.includes(top));
  if (index < 0) throw new Error(`src/${top} is in no layer of this test`);
  return index;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function relativeImports(source: string): string[] {
  const specifiers = [...source.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)];
  return specifiers.map((match) => match[1]!);
}

describe('src/ layers', () => {
  it('every import goes to the same layer or one below', () => {
    const upward: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const from = layerOf(file);
      for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
        const target = resolve(dirname(file), specifier);
        if (layerOf(target) > from) upward.push(`${relative(SRC, file)} → ${relative(SRC, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('only the sandbox command reaches the simulation', () => {
    const users = sourceFiles(SRC)
      .filter((file) => !relative(SRC, file).startsWith('simulation/'))
      .filter((file) => relativeImports(readFileSync(file, 'utf8')).some((s) => resolve(dirname(file), s).startsWith(join(SRC, 'simulation'))))
      .map((file) => relative(SRC, file));
    expect(users).toEqual(['commands/sandbox.ts']);
  });
});
