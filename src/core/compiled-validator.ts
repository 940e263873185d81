/** One problem Ajv found (the first: the validators stop there). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
  /** Set when the problem is a key's name (not one a strict object declares). */
  propertyName?: string;
}

/** Validates in place as zod's parse would return it: fills in defaults, drops undeclared keys. */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
