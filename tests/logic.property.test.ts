import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledDefaults } from '../src/bundled.js';
import { fromNativePatient } from '../src/patient/native.js';
import { compilePredicate } from '../src/pathway/predicate.js';
import { triAnd, triNot, triOr, UNKNOWN, type Tri } from '../src/pathway/tri.js';
import { asOfDate, viewOf, type PatientView } from '../src/pathway/view.js';
import type { Predicate } from '../src/schema/generated/common.js';
import type { Patient } from '../src/schema/generated/patient.js';
import { sortInPlace } from '../src/order.js';
import { AS_OF, patient, predicate } from './arbitraries.js';

const { knowledge } = bundledDefaults();
const parsed = asOfDate(AS_OF);
if (parsed === undefined) throw new Error('bad test date');
const asOf = parsed;

const values: Tri[] = [true, false, UNKNOWN];
const U = UNKNOWN;

function view(p: Patient): PatientView {
  return viewOf(fromNativePatient(p, knowledge), asOf, knowledge);
}
function value(p: Predicate, v: PatientView): Tri {
  return compilePredicate(p, knowledge, '').call(undefined, v).value;
}

describe('Kleene truth tables', () => {
  it('not', () => {
    expect(values.map(triNot)).toEqual([false, true, U]);
  });
  it('and, all nine cases', () => {
    expect(values.map((a) => values.map((b) => triAnd(a, b)))).toEqual([
      [true, false, U],
      [false, false, false],
      [U, false, U],
    ]);
  });
  it('or, all nine cases', () => {
    expect(values.map((a) => values.map((b) => triOr(a, b)))).toEqual([
      [true, true, true],
      [true, false, U],
      [true, U, U],
    ]);
  });
});

describe('Kleene laws hold for random predicates over random patients', () => {
  it('double negation', () => {
    fc.assert(fc.property(predicate, patient, (p, pt) => {
      const v = view(pt);
      expect(value({ kind: 'not', predicate: { kind: 'not', predicate: p } }, v)).toBe(value(p, v));
    }));
  });

  it('De Morgan, both ways', () => {
    fc.assert(fc.property(predicate, predicate, patient, (p, q, pt) => {
      const v = view(pt);
      const notP: Predicate = { kind: 'not', predicate: p };
      const notQ: Predicate = { kind: 'not', predicate: q };
      expect(value({ kind: 'not', predicate: { kind: 'all', of: [p, q] } }, v)).toBe(value({ kind: 'any', of: [notP, notQ] }, v));
      expect(value({ kind: 'not', predicate: { kind: 'any', of: [p, q] } }, v)).toBe(value({ kind: 'all', of: [notP, notQ] }, v));
    }));
  });

  it('all and any agree with the truth tables, so false and true absorb unknown', () => {
    fc.assert(fc.property(predicate, predicate, patient, (p, q, pt) => {
      const v = view(pt);
      expect(value({ kind: 'all', of: [p, q] }, v)).toBe(triAnd(value(p, v), value(q, v)));
      expect(value({ kind: 'any', of: [p, q] }, v)).toBe(triOr(value(p, v), value(q, v)));
      expect(value({ kind: 'all', of: [p, { kind: 'not', predicate: p }] }, v)).not.toBe(true);
    }));
  });

  it('an unknown result always names the data that would settle it; a known one names none', () => {
    fc.assert(fc.property(predicate, patient, (p, pt) => {
      const result = compilePredicate(p, knowledge, '')(view(pt));
      if (result.value === UNKNOWN) {
        expect(result.needs.length).toBeGreaterThan(0);
        for (const need of result.needs) expect(need.message.length).toBeGreaterThan(5);
      } else {
        expect(result.needs).toEqual([]);
      }
    }));
  });

  it('evaluation never mutates the patient or the predicate', () => {
    fc.assert(fc.property(predicate, patient, (p, pt) => {
      const before = JSON.stringify([p, pt]);
      const frozenPatient = structuredClone(pt);
      const frozenPredicate = structuredClone(p);
      deepFreeze(frozenPatient);
      deepFreeze(frozenPredicate);
      const record = fromNativePatient(frozenPatient, knowledge);
      deepFreeze(record);
      compilePredicate(frozenPredicate, knowledge, '')(viewOf(record, asOf, knowledge));
      expect(JSON.stringify([frozenPredicate, frozenPatient])).toBe(before);
    }));
  });
});

describe('missing data is unknown, never a silent false', () => {
  const base: Patient = { id: 'p', conditions: [{ concept: 'copd', status: 'active' }] };
  it('an observation threshold with no value in the window names the missing test', () => {
    const result = compilePredicate({ kind: 'observation', concept: 'fev1-percent-predicted', comparator: '<', value: 50, unit: '%', within: 'P12M' }, knowledge, '')(view(base));
    expect(result.value).toBe(UNKNOWN);
    expect(result.needs).toEqual([{ kind: 'observation', concept: 'fev1-percent-predicted', message: 'no FEV1 % predicted in the last 12 months' }]);
  });
  it('a value older than the window does not count', () => {
    const old: Patient = { ...base, observations: [{ concept: 'fev1-percent-predicted', value: 40, unit: '%', date: '2025-06-29' }] };
    expect(value({ kind: 'observation', concept: 'fev1-percent-predicted', comparator: '<', value: 50, unit: '%', within: 'P12M' }, view(old))).toBe(UNKNOWN);
    const recent: Patient = { ...base, observations: [{ concept: 'fev1-percent-predicted', value: 40, unit: '%', date: '2025-06-30' }] };
    expect(value({ kind: 'observation', concept: 'fev1-percent-predicted', comparator: '<', value: 50, unit: '%', within: 'P12M' }, view(recent))).toBe(true);
  });
  it('age is unknown without a birth date, and a birth year alone decides only when the whole year agrees', () => {
    expect(value({ kind: 'age', comparator: '>=', value: 65 }, view(base))).toBe(UNKNOWN);
    expect(value({ kind: 'age', comparator: '>=', value: 65 }, view({ ...base, birthDate: '1950' }))).toBe(true);
    expect(value({ kind: 'age', comparator: '>=', value: 76 }, view({ ...base, birthDate: '1950' }))).toBe(UNKNOWN);
    expect(value({ kind: 'age', comparator: '>=', value: 76 }, view({ ...base, birthDate: '1950-06-30' }))).toBe(true);
    expect(value({ kind: 'age', comparator: '>=', value: 76 }, view({ ...base, birthDate: '1950-07-01' }))).toBe(false);
  });
  it('a finding whose absence is not recorded is unknown; refuted or excluded by another state is false', () => {
    const p: Predicate = { kind: 'condition', concept: 'current-smoker' };
    expect(value(p, view(base))).toBe(UNKNOWN);
    expect(value(p, view({ ...base, conditions: [...(base.conditions ?? []), { concept: 'current-smoker', status: 'refuted' }] }))).toBe(false);
    expect(value(p, view({ ...base, conditions: [...(base.conditions ?? []), { concept: 'ex-smoker', status: 'active' }] }))).toBe(false);
  });
  it('an observation in another unit is converted before comparing', () => {
    const p: Patient = { ...base, observations: [{ concept: 'eosinophil-count', value: 450, unit: 'cells/uL', date: '2026-05-01' }] };
    expect(value({ kind: 'observation', concept: 'eosinophil-count', comparator: '>=', value: 0.3, unit: '10*9/L', within: 'P12M' }, view(p))).toBe(true);
  });
});

function deepFreeze(value: unknown): void {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
}

describe('sortInPlace orders as the built-in sort does', () => {
  it('stably, for short and long lists, with and without a comparator', () => {
    const records = fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), at: fc.nat() }), { maxLength: 60 });
    fc.assert(
      fc.property(records, (list) => {
        const byKeyOnly = (a: { key: number }, b: { key: number }): number => a.key - b.key;
        const sorted = sortInPlace([...list], byKeyOnly);
        expect(sorted).toEqual([...list].sort(byKeyOnly));
        const names = list.map((r) => `${String.fromCharCode(65 + r.key, 97 + (r.at % 26))}${r.at}`);
        expect(sortInPlace([...names])).toEqual([...names].sort());
      }),
    );
  });
});
