import fc from 'fast-check';
import { applyPatches, enablePatches } from 'immer';
import { describe, expect, it } from 'vitest';
import { bundledDefaults } from '../src/bundled.js';
import { detectConflicts, findConflicts } from '../src/conflict/index.js';
import { severityRank } from '../src/conflict/types.js';
import { createEngine } from '../src/engine.js';
import { evaluatePathway } from '../src/pathway/graph.js';
import { asOfDate, recordOn, viewOf } from '../src/pathway/view.js';
import { fromFhirBundle } from '../src/patient/fhir-r4/bundle.js';
import { fromNativePatient } from '../src/patient/native.js';
import { PatientInputError } from '../src/patient/read.js';
import { renderText } from '../src/report/text.js';
import { mergePlan } from '../src/plan/merge.js';
import { changedPlan, type CarePlan, type PlanItem, planItems } from '../src/plan/types.js';
import { drugTarget, ingredientTarget } from '../src/plan/merge.js';
import { addItem, Overlay, removeItem, replaceDrug, resolutionItem, stopMedicine } from '../src/resolve/edits.js';
import type { Patient } from '../src/schema/generated/patient.js';
import { validateReport } from '../src/schema/load.js';
import { AS_OF, patient } from './arbitraries.js';

enablePatches();
const engine = createEngine();
const { knowledge } = bundledDefaults();
const asOf = asOfDate(AS_OF);
if (asOf === undefined) throw new Error('bad test date');
const checkDate = asOf;

/** Gives every item an id, as records from real systems have, so that locations do not depend on order. */
function withIds(p: Patient): Patient {
  return {
    ...p,
    ...(p.conditions === undefined ? {} : { conditions: p.conditions.map((c, i) => ({ ...c, id: `c${i}` })) }),
    ...(p.medications === undefined ? {} : { medications: p.medications.map((m, i) => ({ ...m, id: `m${i}` })) }),
    ...(p.observations === undefined ? {} : { observations: p.observations.map((o, i) => ({ ...o, id: `o${i}` })) }),
    ...(p.events === undefined ? {} : { events: p.events.map((e, i) => ({ ...e, id: `e${i}` })) }),
    ...(p.allergies === undefined ? {} : { allergies: p.allergies.map((a, i) => ({ ...a, id: `a${i}` })) }),
  };
}
const identified = patient.map(withIds);

/** The same patient with every list in another order. */
function shuffled(p: Patient, seed: number): Patient {
  const order = <T>(list: readonly T[] | undefined): T[] | undefined => {
    if (list === undefined) return undefined;
    const copy = [...list];
    let s = seed;
    for (let i = copy.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const j = s % (i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  };
  const out: Patient = { id: p.id };
  for (const [key, value] of Object.entries(p)) (out as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? order(value) : value;
  return out;
}

const report = (p: Patient): string => JSON.stringify(engine.check(p, { asOf: AS_OF }));

describe('the engine on generated patients and the real bundled pathways', () => {
  it('gives a report valid against the report contract', () => {
    fc.assert(fc.property(identified, (p) => {
      const result = validateReport(engine.check(p, { asOf: AS_OF }));
      expect(result.ok ? [] : result.issues).toEqual([]);
    }), { numRuns: 60 });
  });

  it('gives byte-identical JSON whatever the order of conditions, medications, observations, events and allergies', () => {
    fc.assert(fc.property(identified, fc.integer({ min: 1, max: 1_000_000 }), (p, seed) => {
      expect(report(shuffled(p, seed))).toBe(report(p));
    }), { numRuns: 60 });
  });

  it("names every definite conflict once in the text view's summary: under its best option, or as for clinical judgement", () => {
    fc.assert(fc.property(identified, (p) => {
      const checked = engine.check(p, { asOf: AS_OF });
      const text = renderText(checked);
      if (checked.conflicts.length === 0) {
        expect(text).not.toContain('AT A GLANCE');
        return;
      }
      const glance = text.slice(text.indexOf('\nAT A GLANCE\n'), text.indexOf('\nCONFLICTS ('));
      const numbersIn = (list: string | undefined): number[] => (list === undefined ? [] : list.split(', ').map((n) => Number(n.slice(1))));
      // Conflict numbers under the options, and on the clinical-judgement line.
      const underOptions = [...glance.matchAll(/^ {2}- .* \((#\d+(?:, #\d+)*)\)$/gm)].flatMap((m) => numbersIn(m[1]));
      const forJudgement = numbersIn(/^Definite conflicts with no verified option, for clinical judgement: (.*)\.$/m.exec(glance)?.[1]);
      const named = [...underOptions, ...forJudgement];
      const definite = checked.conflicts.flatMap((c, i) => (c.certainty === 'definite' ? [i + 1] : []));
      expect(new Set(named).size).toBe(named.length);
      for (const n of underOptions) expect(checked.conflicts[n - 1]?.resolutions.length ?? 0).toBeGreaterThan(0);
      for (const n of forJudgement) expect(checked.conflicts[n - 1]?.resolutions).toEqual([]);
      // Those of them already mitigated in the plan, named again on the line after.
      const mitigated = numbersIn(/^Of these, already mitigated in the plan: (.*)\.$/m.exec(glance)?.[1]);
      expect(mitigated).toEqual(forJudgement.filter((n) => checked.conflicts[n - 1]?.mitigated === true));
      if (glance.includes('in the list below')) for (const n of named) expect(definite).toContain(n);
      else expect([...named].sort((a, b) => a - b)).toEqual(definite);
    }), { numRuns: 300 });
  });

  it('is deterministic and never mutates its input', () => {
    fc.assert(fc.property(identified, (p) => {
      const before = JSON.stringify(p);
      const frozen = structuredClone(p);
      deepFreeze(frozen);
      expect(report(frozen)).toBe(report(p));
      expect(JSON.stringify(frozen)).toBe(before);
    }), { numRuns: 40 });
  });

  it('never removes a conflict among current medicines when a medicine is added (unless it mitigates it)', () => {
    const extra = fc.constantFrom(...[...knowledge.ingredients.keys()]);
    fc.assert(fc.property(identified, extra, (p, ingredient) => {
      const before = engine.check(p, { asOf: AS_OF });
      const after = engine.check({ ...p, medications: [...(p.medications ?? []), { id: 'added', ingredients: [ingredient], status: 'active' }] }, { asOf: AS_OF });
      const afterById = new Map(after.conflicts.map((c) => [c.id, c]));
      for (const conflict of before.conflicts) {
        if (!conflict.participants.every((x) => x.type === 'medication' || x.type === 'condition')) continue;
        if (conflict.kind === 'burden') continue;
        const still = afterById.get(conflict.id);
        expect(still, `${conflict.id} ${conflict.explanation}`).toBeDefined();
        if (still !== undefined && still.mitigated !== true && conflict.mitigated !== true) expect(still.severity).toBe(conflict.severity);
      }
    }), { numRuns: 60 });
  });

  it('reads any dosage a FHIR record may hold without throwing, to a daily dose that is a non-negative finite number or unknown', () => {
    const quantity = fc.record(
      {
        value: fc.oneof(fc.double(), fc.integer({ min: -5, max: 100 }), fc.constantFrom(1e300, 3e12), fc.string()),
        unit: fc.oneof(fc.constantFrom('mg', 'milligram', 'g', 'tablet', 'ml', '', '\u00b5g', '{puff}', 'day', 'wk'), fc.string()),
        system: fc.constantFrom('http://unitsofmeasure.org', 'urn:other'),
        code: fc.constantFrom('mg', 'ug', 'd', 'wk', '{tbl}'),
      },
      { requiredKeys: [] },
    );
    const timing = fc.record(
      {
        repeat: fc.record(
          {
            frequency: fc.oneof(fc.integer({ min: -1, max: 6 }), fc.double(), fc.string()),
            period: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.double()),
            periodUnit: fc.constantFrom('d', 'h', 'wk', 'mo', 'x'),
            timeOfDay: fc.array(fc.string(), { maxLength: 3 }),
            when: fc.oneof(fc.array(fc.constantFrom('MORN', 'NIGHT'), { maxLength: 3 }), fc.string()),
            boundsDuration: quantity,
            boundsPeriod: fc.record({ end: fc.oneof(fc.constantFrom('2025-01-20', '2025'), fc.string()) }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
        code: fc.oneof(fc.jsonValue(), fc.record({ coding: fc.array(fc.record({ system: fc.constantFrom('http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation', 'urn:x'), code: fc.constantFrom('BID', 'QOD', 'WK', 'XYZ') }), { maxLength: 2 }) })),
      },
      { requiredKeys: [] },
    );
    const dosage = fc.record(
      {
        sequence: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.string()),
        text: fc.string(),
        asNeededBoolean: fc.oneof(fc.boolean(), fc.string()),
        timing,
        doseAndRate: fc.array(fc.record({ doseQuantity: quantity, doseRange: fc.record({ low: quantity, high: quantity }, { requiredKeys: [] }) }, { requiredKeys: [] }), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(dosage, fc.jsonValue()), { maxLength: 3 }), fc.constantFrom('2025-01-10', 'not a date', undefined), (dosageInstruction, authoredOn) => {
        const bundle = {
          resourceType: 'Bundle',
          entry: [
            { resource: { resourceType: 'MedicationRequest', id: 's', status: 'active', intent: 'order', authoredOn, medicationCodeableConcept: { text: 'Simvastatin 40mg tablets' }, dosageInstruction } },
            { resource: { resourceType: 'MedicationRequest', id: 't', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'Ticagrelor 90mg tablets' } } },
          ],
        };
        expect(validateReport(engine.check(bundle, { asOf: AS_OF })).ok).toBe(true);
        const simvastatin = fromFhirBundle(bundle, knowledge).medications[0];
        for (const amount of [simvastatin?.ingredients[0]?.dailyMg, simvastatin?.perDay]) expect(amount === undefined || (Number.isFinite(amount) && amount >= 0)).toBe(true);
      }),
    );
  });

  it('answers a FHIR Bundle with any values in the fields carepath reads with a report, never a throw', () => {
    const text = fc.oneof(fc.string(), fc.constantFrom('Simvastatin 40mg tablets', 'Naproxen 500mg tablets', 'Citalopram 20mg tablets', 'Peptic ulcer', 'COPD'));
    const date = fc.oneof(fc.string(), fc.constantFrom('2025-01-10', '2025', '2025-13', '0000-01-01', '9999-12-31', '+275760-09-13T00:00:00Z', '2025-01-10T25:61:00Z'), fc.integer());
    const amount = fc.oneof(fc.double(), fc.constantFrom(0, -1, 1e300, 5e-324), fc.string());
    const coding = fc.record({ system: fc.constantFrom('http://snomed.info/sct', 'http://loinc.org', 'http://www.nlm.nih.gov/research/umls/rxnorm', 'http://hl7.org/fhir/sid/icd-10', 'urn:x'), code: fc.oneof(fc.constantFrom('13200003', '2823-3', '33914-3', '36567', 'K25', '8636-3'), fc.string()), display: text }, { requiredKeys: [] });
    const concept = fc.record({ coding: fc.array(coding, { maxLength: 2 }), text }, { requiredKeys: [] });
    const status = fc.record({ coding: fc.array(fc.record({ code: fc.constantFrom('active', 'resolved', 'refuted', 'provisional', 'entered-in-error', 'x') }), { maxLength: 2 }) });
    const quantity = fc.record({ value: amount, unit: fc.oneof(fc.string(), fc.constantFrom('mg', 'mmol/L', 'mL/min/1.73m2', 's')), comparator: fc.constantFrom('<', '>=', 'ad'), system: fc.constant('http://unitsofmeasure.org'), code: fc.constantFrom('mg', 'mmol/L', 'd') }, { requiredKeys: [] });
    const resource = fc.oneof(
      fc.record({ resourceType: fc.constant('Patient'), id: fc.string(), birthDate: date, gender: fc.oneof(fc.string(), fc.constantFrom('male', 'female')) }, { requiredKeys: ['resourceType'] }),
      fc.record({ resourceType: fc.constant('Condition'), id: fc.string(), code: concept, clinicalStatus: status, verificationStatus: status, onsetDateTime: date, abatementDateTime: date, recordedDate: date }, { requiredKeys: ['resourceType'] }),
      fc.record(
        {
          resourceType: fc.constantFrom('MedicationRequest', 'MedicationStatement'),
          id: fc.string(),
          status: fc.constantFrom('active', 'stopped', 'on-hold', 'x'),
          intent: fc.constantFrom('order', 'proposal', 'x'),
          doNotPerform: fc.jsonValue(),
          authoredOn: date,
          effectivePeriod: fc.record({ start: date, end: date }, { requiredKeys: [] }),
          medicationCodeableConcept: concept,
          medicationReference: fc.record({ reference: fc.constantFrom('Medication/x', 'Medication/y', '#x'), display: fc.jsonValue() }, { requiredKeys: [] }),
          priorPrescription: fc.record({ reference: fc.oneof(fc.string(), fc.constantFrom('MedicationRequest/a', 'urn:uuid:1')) }, { requiredKeys: [] }),
          contained: fc.array(fc.record({ resourceType: fc.constant('Medication'), id: fc.constant('x'), code: concept, ingredient: fc.jsonValue() }, { requiredKeys: [] }), { maxLength: 1 }),
          courseOfTherapyType: fc.record({ coding: fc.array(fc.record({ system: fc.constantFrom('http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy', 'x'), code: fc.constantFrom('acute', 'continuous', 'x') }, { requiredKeys: [] }), { maxLength: 2 }) }, { requiredKeys: [] }),
          dispenseRequest: fc.record({ expectedSupplyDuration: quantity, numberOfRepeatsAllowed: fc.oneof(amount, fc.jsonValue()), validityPeriod: fc.record({ start: date, end: date }, { requiredKeys: [] }) }, { requiredKeys: [] }),
          dosageInstruction: fc.array(fc.record({ sequence: amount, asNeededBoolean: fc.jsonValue(), timing: fc.record({ repeat: fc.record({ frequency: amount, period: amount, periodUnit: fc.constantFrom('d', 'h', 'x'), boundsDuration: quantity, boundsPeriod: fc.record({ end: date }) }, { requiredKeys: [] }) }), doseAndRate: fc.array(fc.record({ doseQuantity: quantity }), { maxLength: 1 }) }, { requiredKeys: [] }), { maxLength: 2 }),
        },
        { requiredKeys: ['resourceType'] },
      ),
      fc.record({ resourceType: fc.constant('Bundle'), type: fc.constantFrom('searchset', 'batch-response'), entry: fc.jsonValue() }, { requiredKeys: ['resourceType'] }),
      fc.record({ resourceType: fc.constant('Medication'), id: fc.constantFrom('x', 'y'), code: concept, ingredient: fc.array(fc.record({ itemCodeableConcept: concept, itemReference: fc.record({ display: fc.jsonValue() }, { requiredKeys: [] }) }, { requiredKeys: [] }), { maxLength: 2 }) }, { requiredKeys: ['resourceType'] }),
      fc.record({ resourceType: fc.constant('Observation'), id: fc.string(), status: fc.constantFrom('final', 'cancelled', 'x'), code: concept, effectiveDateTime: date, effectiveInstant: date, issued: date, valueQuantity: quantity }, { requiredKeys: ['resourceType'] }),
      fc.record({ resourceType: fc.constant('AllergyIntolerance'), id: fc.string(), code: concept, clinicalStatus: status, verificationStatus: status, reaction: fc.array(fc.record({ substance: concept }), { maxLength: 1 }) }, { requiredKeys: ['resourceType'] }),
    );
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 8 }), (resources) => {
        const report = engine.check({ resourceType: 'Bundle', type: 'collection', entry: resources.map((r) => ({ resource: r })) }, { asOf: AS_OF });
        expect(validateReport(report).ok).toBe(true);
      }),
    );
  });

  it('answers any JSON with a report or a typed PatientInputError', () => {
    fc.assert(fc.property(fc.jsonValue(), (json) => {
      try {
        expect(validateReport(engine.check(json, { asOf: AS_OF })).ok).toBe(true);
      } catch (error) {
        expect(error).toBeInstanceOf(PatientInputError);
        expect((error as PatientInputError).issues.length).toBeGreaterThan(0);
      }
    }));
  });
});

describe('interaction rules', () => {
  it('are symmetric in the index: a rule between a and b is found from either side', () => {
    for (const [a, partners] of knowledge.interactionIndex) {
      for (const [b, rules] of partners) {
        const back = new Set((knowledge.interactionIndex.get(b)?.get(a) ?? []).map((r) => r.rule.id));
        for (const r of rules) expect(back.has(r.rule.id), `${r.rule.id}: ${a} ~ ${b}`).toBe(true);
      }
    }
  });
  it('are symmetric in effect: swapping the order of two medicines gives the same conflicts', () => {
    const ids = [...knowledge.interactionIndex.keys()];
    fc.assert(fc.property(fc.constantFrom(...ids), fc.constantFrom(...ids), (a, b) => {
      const make = (x: string, y: string): Patient => ({ id: 'p', medications: [{ id: 'x', ingredients: [x], status: 'active' }, { id: 'y', ingredients: [y], status: 'active' }] });
      const ab = engine.check(make(a, b), { asOf: AS_OF }).conflicts.map((c) => [c.id, c.severity]);
      const ba = engine.check(make(b, a), { asOf: AS_OF }).conflicts.map((c) => [c.id, c.severity]);
      expect(ba).toEqual(ab);
    }), { numRuns: 300 });
  });
});

describe('resolutions', () => {
  it('each offered option, applied as its patches, removes or mitigates its conflict and adds none as severe', () => {
    fc.assert(fc.property(identified, (p) => {
      // The record as the engine checks it: medicines started after the check date do not count.
      const record = recordOn(fromNativePatient(p, knowledge), checkDate);
      const view = viewOf(record, checkDate, knowledge);
      const plan = mergePlan(record, engine.pathways.flatMap((c) => evaluatePathway(c, view).recommendations), knowledge);
      const before = detectConflicts({ plan, view, knowledge });
      const beforeIds = new Set(before.map((f) => f.id));
      for (const conflict of engine.checkRecord(record, { asOf: AS_OF }).conflicts) {
        const original = before.find((f) => f.id === conflict.id);
        expect(original).toBeDefined();
        for (const option of conflict.resolutions) {
          const patched = applyPatches<CarePlan>(plan, option.patches);
          const after = detectConflicts({ plan: patched, view, knowledge });
          const same = after.find((f) => f.id === conflict.id);
          expect(same === undefined || (same.mitigated === true && original?.mitigated !== true), option.description).toBe(true);
          // A conflict is new unless one of the same kind, rule, severity and other participants existed before
          // (a substitute meeting the same rule as the drug it replaced is the old conflict renamed).
          const changed = new Set([...Object.keys(patched.items), ...Object.keys(plan.items)].filter((id) => patched.items[id] !== plan.items[id]));
          const shape = (f: (typeof before)[number]): string =>
            [f.kind, f.rule ?? '', f.severity, f.certainty, ...f.participants.map((x) => (x.planItem !== undefined && changed.has(x.planItem) ? '*' : (x.planItem ?? x.name))).sort()].join('|');
          const shapes = new Set(before.map(shape));
          for (const added of after.filter((f) => !beforeIds.has(f.id) && !shapes.has(shape(f)))) {
            expect(severityRank(added.severity)).toBeLessThan(severityRank(conflict.severity));
          }
        }
      }
    }), { numRuns: 40 });
  });
});

describe('re-checks', () => {
  it('find with a focus every conflict of the changed plan that is new or involves a changed item, and no conflict it lacks', () => {
    const ingredients = [...knowledge.interactionIndex.keys()].sort();
    const moreAdvice = fc.record({ item: fc.nat({ max: 3 }), viaClass: fc.option(fc.nat(), { nil: undefined }) });
    const edit = fc.record({ kind: fc.constantFrom('replace', 'stop', 'start', 'avoid', 'avoid-chosen', 'remove', 'remove-advice'), item: fc.nat(), ingredient: fc.constantFrom(...ingredients) });
    fc.assert(fc.property(identified, fc.array(moreAdvice, { maxLength: 3 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (p, advised, edits) => {
      const record = recordOn(fromNativePatient(p, knowledge), checkDate);
      const view = viewOf(record, checkDate, knowledge);
      const merged = mergePlan(record, engine.pathways.flatMap((c) => evaluatePathway(c, view).recommendations), knowledge);
      const drugsOf = (plan: CarePlan): PlanItem[] => planItems(plan).filter((i) => i.target.type === 'ingredient' || i.target.type === 'class');
      // First more advice against the plan's drugs, each by name or by one of its classes, so that a drug may stand against several advices.
      const advising = new Overlay(merged);
      for (const { item, viaClass } of advised) {
        const drug = drugsOf(merged)[item % Math.max(1, drugsOf(merged).length)]?.target;
        const classes = [...(knowledge.classesOf.get(drug?.id ?? '') ?? [])].sort();
        const drugClass = viaClass === undefined ? undefined : classes[viaClass % Math.max(1, classes.length)];
        const target = drugClass === undefined ? drug : drugTarget({ class: drugClass }, knowledge);
        if (target !== undefined) addItem(advising, resolutionItem('avoid', target, 'property test'));
      }
      const plan = changedPlan(merged, advising.edits);
      const items = planItems(plan);
      const drugs = drugsOf(plan);
      const advice = items.filter((i) => i.action === 'avoid' || i.action === 'stop');
      // A change as resolutions make them: drugs replaced or stopped, a drug started or advised against (one in the plan, or any), any item or advice taken out.
      const overlay = new Overlay(plan);
      for (const { kind, item, ingredient } of edits) {
        const target = ingredientTarget(ingredient, knowledge);
        const chosen = drugs[item % Math.max(1, drugs.length)];
        if (kind === 'start' || kind === 'avoid') addItem(overlay, resolutionItem(kind, target, 'property test'));
        else if (chosen !== undefined && kind === 'avoid-chosen') addItem(overlay, resolutionItem('avoid', chosen.target, 'property test'));
        else if (kind === 'remove' || kind === 'remove-advice') {
          const among = kind === 'remove' ? items : advice;
          removeItem(overlay, among[item % Math.max(1, among.length)]?.id ?? '');
        }
        else if (chosen !== undefined && kind === 'replace') replaceDrug(overlay, chosen, target, 'property test');
        else if (chosen?.action === 'take') stopMedicine(overlay, chosen, 'property test');
      }
      const changed = changedPlan(plan, overlay.edits);
      const focused = new Set(findConflicts({ plan: changed, view, knowledge, focus: overlay.edits }).map((f) => f.id));
      const full = findConflicts({ plan: changed, view, knowledge });
      const before = new Set(findConflicts({ plan, view, knowledge }).map((f) => f.id));
      for (const id of focused) expect(full.some((f) => f.id === id), id).toBe(true);
      // What a re-check must see: a conflict the plan did not have (a drug left against the one advice not taken out), or one of a changed item.
      for (const f of full.filter((c) => !before.has(c.id) || c.items.length === 0 || c.items.some((id) => overlay.edits.has(id)))) expect(focused.has(f.id), f.explanation).toBe(true);
    }), { numRuns: 200 });
  });
});

describe('merge', () => {
  it('gives a plan frozen all the way down, as are the items an offered option puts in', () => {
    fc.assert(fc.property(identified, (p) => {
      const record = recordOn(fromNativePatient(p, knowledge), checkDate);
      const view = viewOf(record, checkDate, knowledge);
      const plan = mergePlan(record, engine.pathways.flatMap((c) => evaluatePathway(c, view).recommendations), knowledge);
      expect(unfrozenPath(plan, 'plan')).toBeUndefined();
      for (const conflict of engine.checkRecord(record, { asOf: AS_OF }).conflicts) {
        for (const option of conflict.resolutions) for (const patch of option.patches) expect(unfrozenPath(patch.value, option.description)).toBeUndefined();
      }
    }), { numRuns: 40 });
  });
  it('is commutative, associative and idempotent over recommendations', () => {
    fc.assert(fc.property(identified, fc.integer({ min: 1, max: 1000 }), (p, seed) => {
      const record = fromNativePatient(p, knowledge);
      const view = viewOf(record, checkDate, knowledge);
      const fired = engine.pathways.flatMap((c) => evaluatePathway(c, view).recommendations);
      const plan = JSON.stringify(mergePlan(record, fired, knowledge));
      const reversed = [...fired].reverse();
      const rotated = [...fired.slice(seed % Math.max(1, fired.length)), ...fired.slice(0, seed % Math.max(1, fired.length))];
      expect(JSON.stringify(mergePlan(record, reversed, knowledge))).toBe(plan);
      expect(JSON.stringify(mergePlan(record, rotated, knowledge))).toBe(plan);
      expect(JSON.stringify(mergePlan(record, [...fired, ...fired], knowledge))).toBe(plan);
    }), { numRuns: 40 });
  });
});

function deepFreeze(value: unknown): void {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
}

/** The path to the first object under a value that is not frozen, or undefined when every one is. */
function unfrozenPath(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (!Object.isFrozen(value)) return path;
  for (const [key, child] of Object.entries(value)) {
    const found = unfrozenPath(child, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
