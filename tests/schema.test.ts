import { describe, expect, it } from 'vitest';
import { validatorFor, type SchemaName } from '../src/schema/ajv.js';
import { jsonFiles, readJson } from './helpers.js';

/** Every object schema's properties, with the path to them. */
function properties(node: unknown, at: string, out: { at: string; schema: Record<string, unknown> }[]): void {
  if (Array.isArray(node)) node.forEach((child, i) => properties(child, `${at}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    const props = record['properties'];
    if (props !== null && typeof props === 'object') {
      for (const [name, schema] of Object.entries(props)) out.push({ at: `${at}/properties/${name}`, schema: schema as Record<string, unknown> });
    }
    for (const [key, child] of Object.entries(record)) properties(child, `${at}/${key}`, out);
  }
}

describe('schemas', () => {
  const files = jsonFiles('schemas');

  it.each(files)('%s has an $id, a title and a description', (file) => {
    const schema = readJson(file) as Record<string, unknown>;
    expect(schema['$id']).toMatch(/^https:\/\/carepath\.dev\/schemas\/.+\.schema\.json$/);
    expect(typeof schema['title']).toBe('string');
    expect(typeof schema['description']).toBe('string');
  });

  it.each(files)('%s documents every property (authors read the schema as documentation)', (file) => {
    const found: { at: string; schema: Record<string, unknown> }[] = [];
    properties(readJson(file), '', found);
    const undocumented = found.filter((p) => typeof p.schema['description'] !== 'string').map((p) => p.at);
    expect(undocumented).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
  });

  it.each(['pathway', 'knowledge', 'patient', 'report', 'fixture'] satisfies SchemaName[])('the %s schema compiles in strict mode', (name) => {
    expect(typeof validatorFor(name)).toBe('function');
  });
});
