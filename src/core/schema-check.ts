import type { CompiledValidator, SchemaError } from './compiled-schemas.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; key: string; message: string };

/**
 * Checks `value` with a validator of compiled-schemas.js, which, as zod's parse would, fills in the
 * defaults and drops undeclared keys, in place. A refusal names the first wrong key
 * (`monitor.smtpPort`, `catchAll[0].domain`, `(top level)`) and says what was expected, in zod's words.
 */
export function checkSchema<T>(validate: CompiledValidator, value: unknown): Checked<T> {
  if (validate(value)) return { ok: true, value: value as T };
  const error = validate.errors?.[0];
  if (!error) return { ok: false, key: '(top level)', message: 'Invalid input' };
  const path = error.instancePath.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  const received = path.reduce<unknown>((at, part) => (at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined), value);
  const { key, message } = describe(error, path, received);
  return { ok: false, key: key.map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`)).join('') || '(top level)', message };
}

/** A file this tool saved, read back: its value when it is JSON of the validator's shape, else undefined. */
export function parseChecked<T>(validate: CompiledValidator, text: string): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const checked = checkSchema<T>(validate, json);
  return checked.ok ? checked.value : undefined;
}

function describe(error: SchemaError, path: string[], received: unknown): { key: string[]; message: string } {
  const p = error.params;
  // A name outside a strict object's keys (its propertyNames).
  if (error.propertyName !== undefined) return { key: path, message: `Unrecognized key: ${JSON.stringify(error.propertyName)}` };
  switch (error.keyword) {
    case 'type':
      return { key: path, message: `Invalid input: expected ${p.type === 'integer' ? 'int' : String(p.type)}, received ${kindOf(received)}` };
    case 'required':
      return { key: [...path, String(p.missingProperty)], message: 'Invalid input: expected a value, received undefined' };
    case 'enum':
      return { key: path, message: `Invalid option: expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join('|')}` };
    case 'const':
      return { key: path, message: `Invalid input: expected ${JSON.stringify(p.allowedValue)}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { key: path, message: `Too small: expected number to be ${String(p.comparison)}${String(p.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { key: path, message: `Too big: expected number to be ${String(p.comparison)}${String(p.limit)}` };
    case 'minItems':
      return { key: path, message: `Too small: expected array to have >=${String(p.limit)} items` };
    case 'pattern':
      return { key: path, message: 'Invalid string: it does not have the expected form' };
    default:
      return { key: path, message: error.message ?? 'Invalid input' };
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}
