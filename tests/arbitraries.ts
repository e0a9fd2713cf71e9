import fc from 'fast-check';
import { bundledDefaults } from '../src/bundled.js';
import type { Predicate } from '../src/schema/generated/common.js';
import type { Pathway, Recommendation, Step } from '../src/schema/generated/pathway.js';
import type { Patient } from '../src/schema/generated/patient.js';

const { knowledge } = bundledDefaults();
const conditionIds = [...knowledge.conditions.keys()];
const ingredientIds = [...knowledge.ingredients.keys()];
const classIds = [...knowledge.classes.keys()];
const observations = [...knowledge.observations.values()].map((o) => o.definition);
const eventIds = [...knowledge.events.keys()];

/** The check date the property tests use. */
export const AS_OF = '2026-06-30';

const comparator = fc.constantFrom<'<' | '<=' | '>' | '>=' | '='>('<', '<=', '>', '>=', '=');
const duration = fc.constantFrom('P1M', 'P3M', 'P6M', 'P12M', 'P1Y', 'P2Y', 'P4W', 'P30D');
const drugRef = fc.oneof(fc.constantFrom(...ingredientIds).map((ingredient) => ({ ingredient })), fc.constantFrom(...classIds).map((c) => ({ class: c })));

/** A leaf predicate over real knowledge-base ids. */
export const leafPredicate: fc.Arbitrary<Predicate> = fc.oneof(
  fc.constantFrom(...conditionIds).map((concept): Predicate => ({ kind: 'condition', concept })),
  drugRef.map((drug): Predicate => ({ kind: 'on-drug', drug })),
  drugRef.map((drug): Predicate => ({ kind: 'allergy', drug })),
  fc.record({ o: fc.constantFrom(...observations), comparator, value: fc.integer({ min: 0, max: 120 }), within: duration }).map(
    ({ o, comparator: c, value, within }): Predicate => ({ kind: 'observation', concept: o.id, comparator: c, value, unit: o.unit, within }),
  ),
  fc.record({ o: fc.constantFrom(...observations), within: fc.option(duration, { nil: undefined }) }).map(
    ({ o, within }): Predicate => (within === undefined ? { kind: 'observation-recorded', concept: o.id } : { kind: 'observation-recorded', concept: o.id, within }),
  ),
  fc.record({ comparator, value: fc.integer({ min: 0, max: 110 }) }).map(({ comparator: c, value }): Predicate => ({ kind: 'age', comparator: c, value })),
  fc.constantFrom('female', 'male').map((is): Predicate => ({ kind: 'sex', is: is })),
  fc.record({ event: fc.constantFrom(...eventIds), comparator, value: fc.integer({ min: 0, max: 6 }), within: duration }).map(
    ({ event, comparator: c, value, within }): Predicate => ({ kind: 'event-count', event, comparator: c, value, within }),
  ),
);

/** A predicate tree of bounded depth over real ids. */
export const predicate: fc.Arbitrary<Predicate> = fc.letrec<{ p: Predicate }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafPredicate,
    fc.array(tie('p'), { minLength: 1, maxLength: 3 }).map((of): Predicate => ({ kind: 'all', of })),
    fc.array(tie('p'), { minLength: 1, maxLength: 3 }).map((of): Predicate => ({ kind: 'any', of })),
    tie('p').map((p): Predicate => ({ kind: 'not', predicate: p })),
  ),
})).p;

const day = fc.integer({ min: 0, max: 3 * 365 }).map((back) => new Date(Date.UTC(2026, 5, 30) - back * 86_400_000).toISOString().slice(0, 10));
const laterDay = fc.integer({ min: 1, max: 365 }).map((ahead) => new Date(Date.UTC(2026, 5, 30) + ahead * 86_400_000).toISOString().slice(0, 10));

/** A native patient using real concept and ingredient ids, with gaps: no birth date, no sex, partial dates. */
export const patient: fc.Arbitrary<Patient> = fc
  .record(
    {
      birthDate: fc.oneof(
        fc.integer({ min: 1920, max: 2005 }).map(String),
        fc.date({ min: new Date('1920-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      ),
      sex: fc.constantFrom<'female' | 'male' | 'unknown'>('female', 'male', 'unknown'),
      conditions: fc.array(
        fc.record(
          {
            concept: fc.constantFrom(...conditionIds),
            status: fc.constantFrom<'active' | 'resolved' | 'refuted' | 'inactive' | 'unconfirmed'>('active', 'resolved', 'refuted', 'inactive', 'unconfirmed'),
            onset: day,
            // Some ended only after the check date, and count on it.
            abatement: fc.oneof(day, laterDay),
          },
          { requiredKeys: ['concept', 'status'] },
        ),
        { maxLength: 6 },
      ),
      medications: fc.array(
        fc.record(
          {
            ingredients: fc.array(fc.constantFrom(...ingredientIds), { minLength: 1, maxLength: 2 }),
            status: fc.constantFrom<'active' | 'stopped' | 'on-hold' | 'completed'>('active', 'stopped', 'on-hold', 'completed'),
            // Some start after the check date, and do not count yet.
            start: fc.oneof(day, laterDay),
            // Some have a known dose (one above a dose limit, one within it), and some are taken only when needed.
            dose: fc.record({ amountMg: fc.constantFrom(5, 10, 20, 40, 80, 500), perDay: fc.constantFrom(1, 2, 4), asNeeded: fc.boolean() }, { requiredKeys: [] }),
            // Some are short courses, which are not regular medicines.
            courseOfTherapy: fc.constantFrom<'continuous' | 'acute' | 'seasonal'>('continuous', 'acute', 'seasonal'),
          },
          { requiredKeys: ['ingredients', 'status'] },
        ),
        { maxLength: 8 },
      ),
      observations: fc.array(
        fc
          .record({ o: fc.constantFrom(...observations), value: fc.double({ min: 0, max: 1, noNaN: true }), date: day, bound: fc.option(fc.constantFrom<'<' | '<=' | '>' | '>='>('<', '<=', '>', '>='), { nil: undefined }) })
          .map(({ o, value, date, bound }) => ({
            concept: o.id,
            value: (o.valueRange?.min ?? 0) + value * ((o.valueRange?.max ?? 100) - (o.valueRange?.min ?? 0)),
            // Some results are only bounds, as laboratories report "<5" or ">90".
            ...(bound === undefined ? {} : { comparator: bound }),
            unit: o.unit,
            date,
          })),
        { maxLength: 8 },
      ),
      events: fc.array(fc.record({ concept: fc.constantFrom(...eventIds), date: day }), { maxLength: 6 }),
      allergies: fc.array(fc.record({ ingredients: fc.array(fc.constantFrom(...ingredientIds), { minLength: 1, maxLength: 2 }) }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  )
  .map((parts, ) => ({ id: 'generated', ...parts }));

const source = fc.record({
  guideline: fc.constantFrom('NG115', 'NG136', 'TA461'),
  section: fc.constantFrom('1.2.10', '1.1', 'Table 6'),
  url: fc.constantFrom('https://www.nice.org.uk/guidance/ng115/chapter/Recommendations', 'https://www.nice.org.uk/guidance/ta461'),
});

const recommendation = (id: string): fc.Arbitrary<Recommendation> =>
  fc.record(
    {
      id: fc.constant(id),
      kind: fc.constantFrom('start', 'continue', 'monitor', 'refer', 'lifestyle', 'review'),
      target: fc.oneof(
        fc.constantFrom(...ingredientIds).map((ingredient) => ({ type: 'ingredient' as const, ingredient })),
        fc.constantFrom(...classIds).map((c) => ({ type: 'class' as const, class: c })),
        fc.array(drugRef, { minLength: 2, maxLength: 3 }).map((components) => ({ type: 'combination' as const, components })),
        fc.constantFrom(...observations).map((o) => ({ type: 'test' as const, name: o.name, observation: o.id })),
        fc.constantFrom('influenza vaccination', 'pulmonary rehabilitation').map((name) => ({ type: 'activity' as const, name })),
        fc.constantFrom('respiratory specialist').map((service) => ({ type: 'referral' as const, service })),
      ),
      strength: fc.constantFrom('offer', 'consider'),
      timing: fc.record({ every: duration }),
      rationale: fc.constantFrom('Because the guideline says so for this group.', 'A generated rationale of enough length.'),
      source,
    },
    { requiredKeys: ['id', 'kind', 'target', 'strength', 'rationale', 'source'] },
  );

/** A pathway that is valid by construction (schema and references), with unique step and recommendation ids. */
export const pathway: fc.Arbitrary<Pathway> = fc
  .array(fc.tuple(fc.option(predicate, { nil: undefined }), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 6 })
  .chain((specs) => {
    let counter = 0;
    const steps: fc.Arbitrary<Step>[] = specs.map(([when, recCount, exclusive, childCount]) => {
      const id = `step-${counter++}`;
      const recs = fc.tuple(...Array.from({ length: recCount }, () => recommendation(`rec-${counter++}`)));
      const children = fc.tuple(
        ...Array.from({ length: childCount }, () => {
          const childId = `step-${counter++}`;
          return fc.tuple(fc.option(predicate, { nil: undefined }), recommendation(`rec-${counter++}`)).map(
            ([childWhen, r]): Step => ({ id: childId, title: `Child ${childId}`, ...(childWhen === undefined ? {} : { when: childWhen }), recommendations: [r] }),
          );
        }),
      );
      return fc.tuple(recs, children).map(
        ([rs, cs]): Step => ({
          id,
          title: `Step ${id}`,
          ...(when === undefined ? {} : { when }),
          ...(rs.length > 0 ? { recommendations: rs } : {}),
          ...(cs.length > 0 ? { children: cs, ...(exclusive ? { exclusive: true } : {}) } : {}),
        }),
      );
    });
    return fc.tuple(...steps);
  })
  .map(
    (steps): Pathway => ({
      id: 'generated',
      version: '1.0.0',
      title: 'A generated pathway',
      condition: 'copd',
      sources: [{ guideline: 'NG115', section: '1.2.10', url: 'https://www.nice.org.uk/guidance/ng115/chapter/Recommendations' }],
      entry: { kind: 'condition', concept: 'copd' },
      steps,
    }),
  );
