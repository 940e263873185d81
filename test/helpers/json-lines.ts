import { Ajv2020 } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../docs/json-schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);

/** Every line a `--json` run printed, parsed and checked against the published schema (docs/json-schema.json). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  return lines.map((line, i) => {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (i === 0) expect(value, 'the first line is the version line').toMatchObject({ type: 'version' });
    if (!validate(value)) throw new Error(`line ${i + 1} does not match docs/json-schema.json: ${line}\n${JSON.stringify(validate.errors, null, 1)}`);
    return value;
  });
}
