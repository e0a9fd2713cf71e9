import { describe, expect, it } from 'vitest';
import { bundledDefaults } from '../src/bundled.js';
import { runFixture } from '../src/pathway/fixtures.js';
import { loadFixture } from '../src/schema/load.js';
import { jsonFiles, readJson } from './helpers.js';

const { knowledge, pathways } = bundledDefaults();
const byId = new Map(pathways.map((p) => [p.pathway.id, p]));

describe.each([...new Set(jsonFiles('pathways/fixtures').map((f) => f.split('/')[2] ?? ''))])('fixtures of the %s pathway', (pathwayId) => {
  const files = jsonFiles(`pathways/fixtures/${pathwayId}`);

  it('has at least eight patients', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files.map((file) => {
    const loaded = loadFixture(readJson(file), { file });
    if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
    return [`${loaded.value.title} [${loaded.value.basis ?? 'no basis'}]`, loaded.value] as const;
  }))('%s', (_title, fixture) => {
    const compiled = byId.get(fixture.pathway);
    expect(compiled).toBeDefined();
    if (compiled === undefined) return;
    const result = runFixture(fixture, compiled, knowledge);
    expect(result.problems).toEqual([]);
  });
});

describe('fixture runner', () => {
  it('reports each difference when a fixture expects the wrong thing', () => {
    const fixture = loadFixture(readJson('pathways/fixtures/copd/02-lama-laba-candidate.json'));
    if (!fixture.ok) throw new Error('fixture invalid');
    const wrong = { ...fixture.value, expect: { ...fixture.value.expect, definite: [...fixture.value.expect.definite.filter((id) => id !== 'offer-lama-laba'), 'consider-laba-ics'] } };
    const compiled = byId.get('copd');
    if (compiled === undefined) throw new Error('no copd pathway');
    expect(runFixture(wrong, compiled, knowledge).problems).toEqual(['missing definite recommendation "consider-laba-ics"', 'unexpected definite recommendation "offer-lama-laba"']);
  });
});
