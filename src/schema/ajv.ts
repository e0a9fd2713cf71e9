import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import commonSchema from '../../schemas/common.schema.json';
import fixtureSchema from '../../schemas/fixture.schema.json';
import knowledgeSchema from '../../schemas/knowledge.schema.json';
import pathwaySchema from '../../schemas/pathway.schema.json';
import patientSchema from '../../schemas/patient.schema.json';
import reportSchema from '../../schemas/report.schema.json';

/** The documents carepath validates, by the name of their schema. */
export type SchemaName = 'pathway' | 'knowledge' | 'patient' | 'report' | 'fixture';

const schemaIds: Record<SchemaName, string> = {
  pathway: pathwaySchema.$id,
  knowledge: knowledgeSchema.$id,
  patient: patientSchema.$id,
  report: reportSchema.$id,
  fixture: fixtureSchema.$id,
};

/** Every schema object, so that error messages can look up `$ref` targets by definition name. */
const allSchemas = [commonSchema, pathwaySchema, knowledgeSchema, patientSchema, reportSchema, fixtureSchema];

// ajv-formats is published as CommonJS with a default export; unwrap it for either loader.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

let ajvInstance: Ajv2020 | undefined;
const validators = new Map<SchemaName, ValidateFunction>();

/** The one ajv instance, created and given every schema on first use. */
function ajv(): Ajv2020 {
  if (ajvInstance === undefined) {
    ajvInstance = new Ajv2020({ allErrors: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true });
    addFormats(ajvInstance);
    for (const schema of allSchemas) ajvInstance.addSchema(schema);
  }
  return ajvInstance;
}

/** The compiled validator of one schema; compiled once, on first use. */
export function validatorFor(name: SchemaName): ValidateFunction {
  let validate = validators.get(name);
  if (validate === undefined) {
    validate = ajv().getSchema(schemaIds[name]);
    if (validate === undefined) throw new Error(`carepath: schema ${name} is not registered`);
    validators.set(name, validate);
  }
  return validate;
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
