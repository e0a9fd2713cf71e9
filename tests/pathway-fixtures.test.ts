import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bundledDefaults } from '../src/bundled.js';
import { runFixture } from '../src/pathway/fixtures.js';
import { loadFixture } from '../src/schema/load.js';
import { jsonFiles, readJson, root } from './helpers.js';

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
  it('sees the patient as of the fixture date, as the engine does: a medicine started later does not count yet', () => {
    const fixture = loadFixture(readJson('pathways/fixtures/secondary-prevention-mi/13-old-mi-acei-with-arb-no-beta-blocker.json'));
    if (!fixture.ok) throw new Error('fixture invalid');
    const compiled = byId.get('secondary-prevention-mi');
    if (compiled === undefined) throw new Error('no secondary-prevention-mi pathway');
    // Losartan first prescribed after the fixture's date: ramipril is then taken alone, and there is no ACE inhibitor with ARB to avoid.
    const medications = (fixture.value.patient.medications ?? []).map((m) => (m.text?.startsWith('Losartan') === true ? { ...m, start: '2026-09-01' } : m));
    const later = { ...fixture.value, patient: { ...fixture.value.patient, medications } };
    expect(runFixture(later, compiled, knowledge).problems).toContain('missing definite recommendation "avoid-acei-arb-combination"');
  });


  it('reports each difference when a fixture expects the wrong thing', () => {
    const fixture = loadFixture(readJson('pathways/fixtures/copd/02-lama-laba-candidate.json'));
    if (!fixture.ok) throw new Error('fixture invalid');
    const wrong = { ...fixture.value, expect: { ...fixture.value.expect, definite: [...fixture.value.expect.definite.filter((id) => id !== 'offer-lama-laba'), 'consider-laba-ics'] } };
    const compiled = byId.get('copd');
    if (compiled === undefined) throw new Error('no copd pathway');
    expect(runFixture(wrong, compiled, knowledge).problems).toEqual(['missing definite recommendation "consider-laba-ics"', 'unexpected definite recommendation "offer-lama-laba"']);
  });
});

describe('time zones', () => {
  it('give the same outcome for every fixture in UTC, Los Angeles and Kiritimati (windows count in dates, not local time)', () => {
    // Each run is a separate process of the built package, so the time zone really applies.
    const script = `
      import { readFileSync } from 'node:fs';
      import { bundledDefaults, loadFixture, runFixture } from './dist/index.js';
      const { knowledge, pathways } = bundledDefaults();
      const files = JSON.parse(process.argv[1]);
      const out = files.map((file) => {
        const fixture = loadFixture(JSON.parse(readFileSync(file, 'utf8')));
        const compiled = pathways.find((p) => fixture.ok && p.pathway.id === fixture.value.pathway);
        return fixture.ok && compiled ? runFixture(fixture.value, compiled, knowledge).evaluation.recommendations.map((r) => r.recommendation.id + ':' + r.certainty) : file;
      });
      console.log(new Date(2026, 0, 1).getTimezoneOffset() + ' ' + JSON.stringify(out));`;
    const run = (zone: string): { offset: string; outcome: string } => {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(jsonFiles('pathways/fixtures'))], { cwd: root, encoding: 'utf8', env: { ...process.env, TZ: zone } });
      const [offset = '', ...rest] = result.stdout.trim().split(' ');
      return { offset, outcome: rest.join(' ') };
    };
    const utc = run('UTC');
    expect(utc.offset).toBe('0');
    for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
      const other = run(zone);
      expect(other.offset).not.toBe('0');
      expect(other.outcome).toBe(utc.outcome);
    }
  });
});
