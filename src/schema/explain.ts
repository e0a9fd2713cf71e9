import type { ErrorObject } from 'ajv/dist/2020.js';
import { resolveRef } from './ajv.js';
import { closest, describeValue, makeIssue, type LoadIssue, type LoadOptions } from './issues.js';

/** Human descriptions of the string patterns the schemas use, keyed by the pattern itself. */
const patternNames: Record<string, string> = {
  '^[a-z0-9]+(-[a-z0-9]+)*$': 'a kebab-case id (lower-case letters and digits joined by hyphens, such as "laba-lama")',
  '^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?$': 'an ISO 8601 duration such as "P12M" or "P2W"',
  '^https://': 'an https:// URL',
  '^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$': 'a 7-character ATC code such as "R03AC02"',
  '^[0-9]{1,9}$': 'a numeric RxNorm concept id',
  '^[1-9][0-9]{5,17}$': 'a SNOMED CT / dm+d id (6 to 18 digits)',
  '^[0-9]{1,7}-[0-9]$': 'a LOINC code such as "19926-5"',
};

/**
 * Turns raw ajv errors into the issues a person needs: one root cause per place.
 *
 * ajv reports every failed branch of a `oneOf`; here the branch-shape errors at the
 * `oneOf`'s own location are folded into one message naming the accepted shapes, while
 * errors deeper inside (from the branch that did match in shape) are kept. A failed
 * discriminator becomes one message naming the accepted values, with a likely typo.
 */
export function explainErrors(errors: readonly ErrorObject[], options: LoadOptions): LoadIssue[] {
  const alternatives = new Set(
    errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath),
  );
  const discriminated = new Set(errors.filter((e) => e.keyword === 'discriminator').map((e) => e.instancePath));
  const issues: LoadIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (isBranchShapeError(error, alternatives)) continue;
    if (isDiscriminatorEcho(error, discriminated)) continue;
    if ((error.keyword === 'oneOf' || error.keyword === 'anyOf') && hasDeeperError(error, errors)) continue;
    const issue = explainOne(error, options);
    const key = `${issue.pointer}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

const shapeKeywords = new Set(['required', 'additionalProperties', 'type', 'const']);

function isBranchShapeError(error: ErrorObject, alternatives: Set<string>): boolean {
  return shapeKeywords.has(error.keyword) && alternatives.has(error.instancePath);
}

function isDiscriminatorEcho(error: ErrorObject, discriminated: Set<string>): boolean {
  const parent = error.instancePath.slice(0, error.instancePath.lastIndexOf('/'));
  return error.keyword === 'enum' && discriminated.has(parent);
}

function hasDeeperError(error: ErrorObject, errors: readonly ErrorObject[]): boolean {
  const prefix = `${error.instancePath}/`;
  return errors.some((e) => e.instancePath.startsWith(prefix));
}

function explainOne(error: ErrorObject, options: LoadOptions): LoadIssue {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  const schema = error.parentSchema;
  switch (error.keyword) {
    case 'required': {
      const name = String(params['missingProperty']);
      return makeIssue('CP_SCHEMA', at, `required property "${name}"`, 'no such property', options, describeProperty(schema, name));
    }
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const allowed = Object.keys((schema?.['properties'] as Record<string, unknown> | undefined) ?? {});
      const guess = closest(name, allowed);
      return makeIssue(
        'CP_SCHEMA',
        `${at}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        `one of the properties ${allowed.map((p) => `"${p}"`).join(', ')}`,
        `unknown property "${name}"`,
        options,
        guess === undefined ? undefined : `did you mean "${guess}"?`,
      );
    }
    case 'discriminator': {
      const tag = String(params['tag']);
      const allowed = discriminatorValues(schema, tag);
      const value = params['tagValue'];
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return makeIssue(
        'CP_SCHEMA',
        `${at}/${tag}`,
        `"${tag}" to be one of ${allowed.map((v) => `"${v}"`).join(', ')}`,
        describeValue(value),
        options,
        guess === undefined ? undefined : `did you mean "${guess}"?`,
      );
    }
    case 'oneOf':
    case 'anyOf': {
      const shapes = branchShapes(error.schema);
      const verb = error.keyword === 'oneOf' ? 'exactly one of' : 'at least one of';
      return makeIssue('CP_SCHEMA', at, `${verb}: ${shapes.join(' | ')}`, describeObjectKeys(error.data), options);
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const guess = typeof error.data === 'string' ? closest(error.data, allowed) : undefined;
      return makeIssue(
        'CP_SCHEMA',
        at,
        `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
        describeValue(error.data),
        options,
        guess === undefined ? undefined : `did you mean "${guess}"?`,
      );
    }
    case 'const':
      return makeIssue('CP_SCHEMA', at, JSON.stringify(params['allowedValue']), describeValue(error.data), options);
    case 'type':
      return makeIssue('CP_SCHEMA', at, `a value of type ${String(params['type'])}`, describeValue(error.data), options);
    case 'pattern': {
      const pattern = String(params['pattern']);
      return makeIssue('CP_SCHEMA', at, patternNames[pattern] ?? `a string matching ${pattern}`, describeValue(error.data), options);
    }
    case 'format':
      return makeIssue('CP_SCHEMA', at, `a valid ${String(params['format'])}`, describeValue(error.data), options);
    case 'minItems':
      return makeIssue('CP_SCHEMA', at, `at least ${String(params['limit'])} item(s)`, describeValue(error.data), options);
    case 'maxItems':
      return makeIssue('CP_SCHEMA', at, `at most ${String(params['limit'])} item(s)`, describeValue(error.data), options);
    case 'minLength':
      return makeIssue('CP_SCHEMA', at, `a string of at least ${String(params['limit'])} character(s)`, describeValue(error.data), options);
    case 'maxLength':
      return makeIssue('CP_SCHEMA', at, `a string of at most ${String(params['limit'])} characters`, describeValue(error.data), options);
    case 'minProperties':
      return makeIssue('CP_SCHEMA', at, `at least ${String(params['limit'])} propert(ies)`, 'an empty object', options);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return makeIssue('CP_SCHEMA', at, `a number ${String(params['comparison'])} ${String(params['limit'])}`, describeValue(error.data), options);
    default:
      return makeIssue('CP_SCHEMA', at, error.message ?? `to satisfy "${error.keyword}"`, describeValue(error.data), options);
  }
}

function describeProperty(schema: Record<string, unknown> | undefined, name: string): string | undefined {
  const properties = schema?.['properties'] as Record<string, unknown> | undefined;
  const property = resolveRef(properties?.[name]);
  const own = (properties?.[name] as { description?: unknown } | undefined)?.description;
  const description = typeof own === 'string' ? own : property?.['description'];
  return typeof description === 'string' ? description : undefined;
}

function discriminatorValues(schema: Record<string, unknown> | undefined, tag: string): string[] {
  const branches = (schema?.['oneOf'] as unknown[] | undefined) ?? [];
  return branches.flatMap((branch) => {
    const resolved = resolveRef(branch);
    const property = (resolved?.['properties'] as Record<string, { const?: unknown }> | undefined)?.[tag];
    return typeof property?.const === 'string' ? [property.const] : [];
  });
}

function branchShapes(branches: unknown): string[] {
  if (!Array.isArray(branches)) return [];
  return branches.map((branch) => {
    const resolved = resolveRef(branch);
    const required = (resolved?.['required'] as string[] | undefined) ?? [];
    const title = typeof resolved?.['title'] === 'string' ? `${resolved['title']} ` : '';
    return `${title}{${required.map((r) => `"${r}"`).join(', ')}}`;
  });
}

function describeObjectKeys(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return describeValue(value);
  const keys = Object.keys(value);
  return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => `"${k}"`).join(', ')}`;
}
