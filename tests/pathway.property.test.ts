import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledDefaults } from '../src/bundled.js';
import { compilePathway, evaluatePathway } from '../src/pathway/graph.js';
import { fromNativePatient } from '../src/patient/native.js';
import { asOfDate, viewOf } from '../src/pathway/view.js';
import { loadPathway } from '../src/schema/load.js';
import { AS_OF, pathway, patient } from './arbitraries.js';

const { knowledge } = bundledDefaults();
const asOf = asOfDate(AS_OF);

describe('pathways the schema accepts', () => {
  it('load, compile and round-trip without loss', () => {
    fc.assert(
      fc.property(pathway, (p) => {
        const loaded = loadPathway(p);
        expect(loaded.ok ? [] : loaded.issues).toEqual([]);
        if (!loaded.ok) return;
        expect(JSON.parse(JSON.stringify(loaded.value))).toEqual(p);
        expect(compilePathway(loaded.value, knowledge).ok).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('evaluate any patient without mutating either; recommendations come only from steps that may apply', () => {
    fc.assert(
      fc.property(pathway, patient, (p, pt) => {
        if (asOf === undefined) return;
        const compiled = compilePathway(p, knowledge);
        if (!compiled.ok) return;
        const before = JSON.stringify([p, pt]);
        const evaluation = evaluatePathway(compiled.value, viewOf(fromNativePatient(pt, knowledge), asOf, knowledge));
        expect(JSON.stringify([p, pt])).toBe(before);
        const reached = new Map(evaluation.steps.map((s) => [s.step, s.applies.value]));
        for (const r of evaluation.recommendations) {
          const applies = reached.get(r.step);
          expect(applies === true ? 'definite' : applies === 'unknown' ? 'possible' : 'unreached').toBe(r.certainty);
          if (r.certainty === 'possible') expect(r.needs.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('exclusive children behave as if / else-if: at most one applies for certain', () => {
    fc.assert(
      fc.property(pathway, patient, (p, pt) => {
        if (asOf === undefined) return;
        const compiled = compilePathway(p, knowledge);
        if (!compiled.ok) return;
        const evaluation = evaluatePathway(compiled.value, viewOf(fromNativePatient(pt, knowledge), asOf, knowledge));
        const definite = new Set(evaluation.steps.filter((s) => s.applies.value === true).map((s) => s.step));
        for (const step of p.steps) {
          if (step.exclusive !== true) continue;
          const applying = (step.children ?? []).filter((c) => definite.has(c.id));
          expect(applying.length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 100 },
    );
  });
});
