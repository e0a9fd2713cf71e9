import type { ErrorObject, ValidateFunction } from 'ajv';
import commonSchema from '../../schemas/common.schema.json';
import fixtureSchema from '../../schemas/fixture.schema.json';
import knowledgeSchema from '../../schemas/knowledge.schema.json';
import pathwaySchema from '../../schemas/pathway.schema.json';
import patientSchema from '../../schemas/patient.schema.json';
import reportSchema from '../../schemas/report.schema.json';
import * as generated from './generated/validators.js';

/** The documents carepath validates, by the name of their schema. */
export type SchemaName = 'pathway' | 'knowledge' | 'patient' | 'report' | 'fixture';

/** Every schema object, so that error messages can look up `$ref` targets by definition name. */
const allSchemas = [commonSchema, pathwaySchema, knowledgeSchema, patientSchema, reportSchema, fixtureSchema];

/**
 * The validator of one schema. The validators are ajv code generated from `schemas/` by `npm run
 * gen` (every error with its schema and parent schema, all errors at once), so no run compiles
 * a schema.
 */
export function validatorFor(name: SchemaName): ValidateFunction {
  return generated[name];
}

/** Runs a validator and returns its errors (empty when valid). */
export function schemaErrors(name: SchemaName, value: unknown): readonly ErrorObject[] {
  const validate = validatorFor(name);
  return validate(value) ? [] : (validate.errors ?? []);
}

const definitions = new Map<string, Record<string, unknown>>();
for (const schema of allSchemas) {
  for (const [name, definition] of Object.entries(schema.$defs)) {
    definitions.set(name, definition as Record<string, unknown>);
  }
}

/** Follows a `$ref` (local or into another carepath schema) to the definition it names. */
export function resolveRef(schema: unknown): Record<string, unknown> | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const ref = (schema as { $ref?: unknown }).$ref;
  if (typeof ref !== 'string') return schema as Record<string, unknown>;
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  return definitions.get(name);
}
