import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson, syntaxErrorOffset } from '../src/schema/json.js';
import { loadFixture, loadKnowledgeDocument, loadPathway, loadPatient, validateReport } from '../src/schema/load.js';
import type { LoadResult } from '../src/schema/issues.js';
import { readJson } from './helpers.js';

const loaders: [string, (json: unknown) => LoadResult<unknown>][] = [
  ['loadPathway', (json) => loadPathway(json, { file: 'input.json' })],
  ['loadKnowledgeDocument', (json) => loadKnowledgeDocument(json, { file: 'input.json' })],
  ['loadPatient', (json) => loadPatient(json, { file: 'input.json' })],
  ['loadFixture', (json) => loadFixture(json, { file: 'input.json' })],
  ['validateReport', (json) => validateReport(json, { file: 'input.json' })],
];

/** A typed result: either a value, or at least one issue with every field filled. */
function expectTyped(result: LoadResult<unknown>): void {
  if (result.ok) return;
  expect(result.issues.length).toBeGreaterThan(0);
  for (const issue of result.issues) {
    expect(issue.code).toMatch(/^CP_[A-Z_]+$/);
    expect(typeof issue.pointer).toBe('string');
    expect(issue.message).toContain('expected');
    expect(issue.file).toBe('input.json');
  }
}

function nested(depth: number): unknown {
  let value: unknown = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('loaders never throw on arbitrary JSON', () => {
  it.each(loaders)('%s returns a typed result for any JSON value', (_name, load) => {
    fc.assert(fc.property(fc.jsonValue(), (json) => expectTyped(load(json))));
  });

  it.each(loaders)('%s returns a typed result for objects with the right keys and wrong values', (_name, load) => {
    const keys = fc.constantFrom('id', 'version', 'title', 'steps', 'entry', 'kind', 'of', 'patient', 'expect', 'medications', 'ingredients', '__proto__', 'constructor');
    fc.assert(fc.property(fc.dictionary(keys, fc.jsonValue()), (json) => expectTyped(load(json))));
  });

  it.each(loaders)('%s rejects hostile shapes with a typed error', (_name, load) => {
    const hostile: unknown[] = [
      null,
      42,
      'a'.repeat(10 * 1024 * 1024),
      nested(100_000),
      JSON.parse('{"__proto__": {"polluted": true}, "id": "x"}'),
      { constructor: { prototype: { polluted: true } } },
    ];
    for (const json of hostile) {
      const result = load(json);
      expect(result.ok).toBe(false);
      expectTyped(result);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reports JSON syntax errors with line and column, never throwing', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseJson(text, { file: 'input.json' });
        if (!result.ok) expect(result.issues[0]?.code).toBe('CP_JSON_SYNTAX');
      }),
    );
    const broken = parseJson('{\n  "id": "copd",\n  "steps": [,]\n}', { file: 'copd.json' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.issues[0]?.message).toMatch(/at line 3, column 13$/);
  });

  it('says so when the text is newline-delimited JSON rather than one document', () => {
    const bulk = parseJson('{"resourceType": "Patient", "id": "a"}\n{"resourceType": "Patient", "id": "b"}\n', { file: 'Patient.000.ndjson' });
    expect(bulk.ok).toBe(false);
    if (!bulk.ok) expect(bulk.issues[0]?.message).toMatch(/at line 2, column 1: a second JSON value on a new line, as in newline-delimited JSON/);
    // A value broken across lines is not mistaken for one.
    const broken = parseJson('{"id": "a"\n"steps": []}', { file: 'copd.json' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.issues[0]?.message).toMatch(/at line 2, column 1$/);
  });

  it('ignores a leading byte order mark, and counts columns as an editor shows them', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseJson(`\uFEFF${text}`)).toEqual(parseJson(text));
      }),
    );
    const broken = parseJson('\uFEFF{"id": }', { file: 'copd.json' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.issues[0]?.message).toMatch(/at line 1, column 8$/);
    // Only a leading mark: one inside the text is still an error.
    expect(parseJson('{"id": 1}\uFEFF').ok).toBe(false);
  });

  it('names the nesting depth problem at the pointer where it starts', () => {
    const result = loadPathway(nested(70), { file: 'deep.json' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues[0]?.code).toBe('CP_JSON_TOO_DEEP');
      expect(result.issues[0]?.pointer).toBe(`/0`.repeat(64));
    }
  });

  it('returns a frozen copy that leaves the caller\'s object alone', () => {
    const input = readJson('pathways/copd.json');
    const before = JSON.stringify(input);
    const result = loadPathway(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).not.toBe(input);
    expect(Object.isFrozen(result.value)).toBe(true);
    expect(Object.isFrozen(input)).toBe(false);
    expect(JSON.stringify(input)).toBe(before);
  });
});

describe('syntax error offsets', () => {
  it('agrees with JSON.parse on which texts are valid', () => {
    const almostJson = fc.oneof(
      fc.json(),
      fc.json().map((t) => t.slice(0, Math.max(0, t.length - 1))),
      fc.tuple(fc.json(), fc.constantFrom(',', '}', ']', ':', '"', 'x')).map(([t, c]) => t + c),
    );
    fc.assert(
      fc.property(almostJson, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(syntaxErrorOffset(text) === text.length && valid).toBe(valid);
      }),
    );
  });
});
