import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bundledDefaults } from '../src/bundled.js';
import { createEngine } from '../src/engine.js';
import { doseFromText } from '../src/patient/dose-text.js';
import { fromFhirBundle } from '../src/patient/fhir-r4/bundle.js';
import { renderText } from '../src/report/text.js';
import type { CheckReport } from '../src/schema/generated/report.js';
import { validateReport } from '../src/schema/load.js';
import { root } from './helpers.js';

const { knowledge } = bundledDefaults();
const engine = createEngine();
const dataDir = path.join(root, '..', 'shared', 'data');
const bundleDir = path.join(dataDir, 'synthea-r4-bundles');
const bundles = readdirSync(bundleDir).filter((f) => f.endsWith('.json')).sort();

type Resource = { resourceType: string; id?: string; status?: string };
const read = (file: string): { entry: { resource: Resource }[] } => JSON.parse(readFileSync(path.join(bundleDir, file), 'utf8')) as { entry: { resource: Resource }[] };

describe('FHIR R4 Bundles from the Synthea sample data', () => {
  it.each(bundles)('%s: a valid report, every medication and condition accounted for', (file) => {
    const bundle = read(file);
    const record = fromFhirBundle(bundle, knowledge);
    const resources = bundle.entry.map((e) => e.resource);
    const medications = resources.filter((r) => r.resourceType === 'MedicationRequest');
    const conditions = resources.filter((r) => r.resourceType === 'Condition');
    expect(record.medications.length).toBe(medications.length);
    for (const medication of record.medications) {
      const noted = record.dataQuality.some((n) => n.code === 'unrecognised-medication' && n.location === medication.location);
      expect(medication.ingredients.length > 0 || noted, medication.text).toBe(true);
    }
    expect(record.conditions.filter((c) => c.location.startsWith('Condition/')).length).toBe(conditions.length);
    const notedConditionCodes = record.dataQuality.filter((n) => n.code === 'unrecognised-condition').length;
    expect(record.conditions.every((c) => c.concepts.length > 0) || notedConditionCodes > 0).toBe(true);
    const stoppedOnly = medications.filter((m) => m.status !== 'active').length;
    expect(record.medications.filter((m) => !m.current).length).toBe(stoppedOnly);
    const report = engine.check(bundle, { asOf: '2020-06-30' });
    const valid = validateReport(report);
    expect(valid.ok ? [] : valid.issues).toEqual([]);
    expect(report.patientId).toBe(resources.find((r) => r.resourceType === 'Patient')?.id);
  });

  it('reads a batch-response Bundle of searchsets (one round trip for a patient) as the same record (Martina Murazik, Synthea)', () => {
    const file = bundles.find((f) => f.startsWith('Martina_Murazik')) ?? '';
    const flat = read(file);
    const searchset = (type: string): unknown => ({ resource: { resourceType: 'Bundle', type: 'searchset', entry: flat.entry.filter((e) => e.resource.resourceType === type) } });
    const types = [...new Set(flat.entry.map((e) => e.resource.resourceType))].filter((t) => t !== 'Patient');
    const batch = { resourceType: 'Bundle', type: 'batch-response', entry: [flat.entry.find((e) => e.resource.resourceType === 'Patient'), ...types.map(searchset)] };
    expect(JSON.stringify(engine.check(batch, { asOf: '2020-06-30' }))).toBe(JSON.stringify(engine.check(flat, { asOf: '2020-06-30' })));
    // A resource without an id is named by its JSON pointer; a Bundle nested deeper than three levels is not opened.
    const nested = (depth: number, entry: unknown): unknown => (depth === 0 ? entry : { resource: { resourceType: 'Bundle', entry: [nested(depth - 1, entry)] } });
    const naproxen = { resource: { resourceType: 'MedicationStatement', status: 'active', medicationCodeableConcept: { text: 'Naproxen 500mg tablets' } } };
    const notes = (bundle: unknown): string[][] => engine.check(bundle, { asOf: '2026-01-01' }).dataQuality.filter((n) => n.code !== 'no-patient').map((n) => [n.code, n.location, n.message]);
    expect(notes({ resourceType: 'Bundle', entry: [{}, nested(1, { resource: { resourceType: 'Bundle', entry: [{}, naproxen] } })] })).toEqual([
      ['entry-without-resource', '/entry/0', 'bundle entry has no resource; skipped'],
      ['entry-without-resource', '/entry/1/resource/entry/0/resource/entry/0', 'bundle entry has no resource; skipped'],
    ]);
    expect(notes({ resourceType: 'Bundle', entry: [nested(4, naproxen)] })).toEqual([['resources-not-used', '/entry', 'resources of types carepath does not read were skipped: 1 Bundle']]);
  });

  it('says first when the record says the patient had died by the check date, and not when they died after it', () => {
    // Buddy MacGyver's record says he died on 1983-01-10, yet still lists active prescriptions.
    const bundle = read(bundles.find((f) => f.startsWith('Buddy_MacGyver')) ?? '');
    const after = engine.check(bundle, { asOf: '2020-06-30' });
    const note = after.dataQuality.find((n) => n.code === 'patient-deceased');
    expect(note?.message).toBe('the patient is recorded as having died on 1983-01-10; the check shows what the record holds, not care still to be given');
    expect(renderText(after).split('\n')[2]).toBe(`NOTE: ${note?.message ?? ''}.`);
    expect(engine.check(bundle, { asOf: '1980-06-30' }).dataQuality.map((n) => n.code)).not.toContain('patient-deceased');
    // Deceased with no date: always said.
    const undated = engine.check({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient', id: 'p', deceasedBoolean: true } }] }, { asOf: '2026-01-01' });
    expect(undated.dataQuality.find((n) => n.code === 'patient-deceased')?.message).toBe('the patient is recorded as having died; the check shows what the record holds, not care still to be given');
  });

  it('reads results coded in SNOMED CT as English general practice records them (NHS Digital SNOMED code usage in primary care)', () => {
    const sct = (code: string, display: string): unknown => ({ coding: [{ system: 'http://snomed.info/sct', code, display }] });
    const result = (id: string, code: string, display: string, value: number, unit: string): unknown => ({ resource: { resourceType: 'Observation', id, status: 'final', code: sct(code, display), effectiveDateTime: '2026-10-01', valueQuantity: { value, unit } } });
    const record = fromFhirBundle(
      {
        resourceType: 'Bundle',
        entry: [
          result('cr', '1000731000000107', 'Serum creatinine level', 140, 'umol/L'),
          result('na', '1000661000000107', 'Serum sodium level', 131, 'mmol/L'),
          result('k', '1000651000000109', 'Serum potassium level', 5.1, 'mmol/L'),
          result('egfr', '1011481000000105', 'eGFR using creatinine (CKD-EPI) per 1.73 square metres', 31, 'mL/min/1.73m2'),
          result('w', '27113001', 'Body weight', 55, 'kg'),
          result('bmi', '60621009', 'Body mass index', 21.5, 'kg/m2'),
          result('hr', '364075005', 'Heart rate', 48, '/min'),
          {
            resource: {
              resourceType: 'Observation',
              id: 'bp',
              status: 'final',
              code: sct('75367002', 'Blood pressure'),
              effectiveDateTime: '2026-10-01',
              component: [
                { code: sct('72313002', 'Systolic arterial pressure'), valueQuantity: { value: 152, unit: 'mmHg' } },
                { code: sct('1091811000000102', 'Diastolic arterial pressure'), valueQuantity: { value: 88, unit: 'mmHg' } },
              ],
            },
          },
        ],
      },
      knowledge,
    );
    expect(record.observations.map((o) => [o.concept, o.value]).sort()).toEqual(
      [['bmi', 21.5], ['body-weight', 55], ['creatinine', 140], ['diastolic-bp', 88], ['egfr', 31], ['heart-rate', 48], ['potassium', 5.1], ['sodium', 131], ['systolic-bp', 152]].sort(),
    );
    expect(record.dataQuality.map((n) => n.code)).toEqual(['no-patient']);
  });

  it('recognises long-term conditions by the names general practice gives them, when the code is a local one', () => {
    const names: [string, string[]][] = [
      ['Essential hypertension', ['hypertension']],
      ['Mild depression', ['depression', 'less-severe-depression']],
      ['Moderate depression', ['depression', 'more-severe-depression']],
      ['Ischaemic heart disease', ['coronary-heart-disease']],
      ['Congestive heart failure', ['heart-failure']],
      ['Chronic obstructive lung disease', ['copd']],
      ['Paroxysmal atrial fibrillation', ['atrial-fibrillation', 'paroxysmal-af']],
      ['Type 2 diabetes mellitus', ['type-2-diabetes']],
      ['Chronic kidney disease stage 3a', ['chronic-kidney-disease']],
      ['Old myocardial infarction', ['myocardial-infarction']],
      ['Cigarette smoker', ['current-smoker']],
      ['Ex smoker', ['ex-smoker']],
    ];
    const conditions = names.map(([text], i) => ({ resource: { resourceType: 'Condition', id: `c${i}`, clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: 'https://fhir.example-gp.nhs.uk/local-codes', code: `L${i}` }], text } } }));
    const bundle = { resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient', id: 'p', birthDate: '1950-01-01' } }, ...conditions] };
    expect(fromFhirBundle(bundle, knowledge).conditions.map((c) => [c.text, c.concepts])).toEqual(names);
    // So the pathways that hinge on them apply: paroxysmal AF is AF (NICE NG196).
    const applies = engine.check(bundle, { asOf: '2026-01-01' }).pathways.filter((p) => p.applies === 'true').map((p) => p.id);
    expect(applies).toEqual(expect.arrayContaining(['atrial-fibrillation', 'copd', 'depression', 'heart-failure', 'hypertension']));
  });

  it('reads blood pressure components and the latest smoking status up to the check date', () => {
    const file = bundles.find((f) => f.startsWith('Alica_Powlowski'));
    if (file === undefined) throw new Error('sample bundle missing');
    const record = fromFhirBundle(read(file), knowledge);
    expect(record.observations.some((o) => o.concept === 'systolic-bp')).toBe(true);
    expect(record.observations.some((o) => o.concept === 'diastolic-bp')).toBe(true);
    const report = engine.check(read(file), { asOf: '2020-06-30' });
    expect(report.unknowns.map((u) => u.need.concept)).not.toContain('current-smoker');
  });

  it('respects statuses: stopped medicines and resolved or refuted conditions do not count; on-hold is reported', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p1', birthDate: '1950-01-01', gender: 'male' } },
        { resource: { resourceType: 'Condition', id: 'c1', clinicalStatus: { coding: [{ code: 'resolved' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '84114007' }] } } },
        { resource: { resourceType: 'Condition', id: 'c2', clinicalStatus: { coding: [{ code: 'active' }] }, verificationStatus: { coding: [{ code: 'refuted' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '49436004' }] } } },
        { resource: { resourceType: 'MedicationRequest', id: 'm1', status: 'stopped', medicationCodeableConcept: { text: 'Verapamil 80mg tablets' } } },
        { resource: { resourceType: 'MedicationRequest', id: 'm2', status: 'on-hold', medicationCodeableConcept: { text: 'Naproxen 500mg tablets' } } },
        { resource: { resourceType: 'MedicationRequest', id: 'm3', status: 'entered-in-error', medicationCodeableConcept: { text: 'Ibuprofen 400mg tablets' } } },
      ],
    };
    const report = engine.check(bundle, { asOf: '2026-01-01' });
    expect(report.pathways.find((p) => p.id === 'heart-failure')?.applies).toBe('false');
    expect(report.pathways.find((p) => p.id === 'atrial-fibrillation')?.applies).toBe('false');
    expect(report.plan.filter((i) => i.action === 'take').map((i) => i.name)).toEqual(['naproxen']);
    expect(report.dataQuality.map((n) => [n.code, n.location])).toContainEqual(['medication-on-hold', 'MedicationRequest/m2']);
  });

  it('counts a prescription a later one replaces (its priorPrescription) no longer, rather than as a second current medicine', () => {
    const naproxen = (id: string, extra: Record<string, unknown> = {}): unknown => ({ resource: { resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', medicationCodeableConcept: { text: 'Naproxen 500mg tablets' }, ...extra } });
    const check = (...entry: unknown[]): CheckReport => engine.check({ resourceType: 'Bundle', entry }, { asOf: '2026-11-24' });
    const renewed = check(naproxen('old'), naproxen('new', { priorPrescription: { reference: 'MedicationRequest/old' } }));
    expect(renewed.conflicts.filter((c) => c.kind === 'duplicate')).toEqual([]);
    expect(renewed.dataQuality.filter((n) => n.code === 'medication-superseded').map((n) => [n.location, n.message])).toEqual([['MedicationRequest/old', 'replaced by MedicationRequest/new, which names it as its prior prescription; not counted as current']]);
    // A renewal that was cancelled replaces nothing: the earlier prescription still counts.
    const cancelled = check(naproxen('old'), naproxen('new', { status: 'cancelled', priorPrescription: { reference: 'MedicationRequest/old' } }));
    expect([cancelled.plan.filter((i) => i.action === 'take').flatMap((i) => i.provenance.map((p) => p.location)), cancelled.dataQuality.filter((n) => n.code === 'medication-superseded')]).toEqual([['MedicationRequest/old'], []]);
  });

  it('reads a birth date sent as a date-time by its date, with a note, and rejects one that is no day of the calendar', () => {
    const born = (birthDate: string): [string | undefined, string[]] => {
      const record = fromFhirBundle({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient', id: 'p', birthDate } }] }, knowledge);
      return [record.birthDate, record.dataQuality.map((n) => n.code)];
    };
    expect(['1942-03-08T00:00:00Z', '1942-03-08', '1942-03', '1944-02-29', '1942-02-29', '1942-13-45', '1942-03-08T99'].map(born)).toEqual([
      ['1942-03-08', ['birth-date-with-time']],
      ['1942-03-08', []],
      ['1942-03', []],
      ['1944-02-29', []],
      [undefined, ['invalid-date']],
      [undefined, ['invalid-date']],
      [undefined, ['invalid-date']],
    ]);
  });

  it('reads a status written as a bare code, as FHIR STU3 wrote it, with a note: a refuted diagnosis stays refuted', () => {
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Condition', id: 'hf', clinicalStatus: 'resolved', code: { coding: [{ system: 'http://snomed.info/sct', code: '84114007' }] } } },
        { resource: { resourceType: 'Condition', id: 'af', clinicalStatus: 'active', verificationStatus: 'refuted', code: { coding: [{ system: 'http://snomed.info/sct', code: '49436004' }] } } },
        { resource: { resourceType: 'Condition', id: 'copd', clinicalStatus: 'active', code: { coding: [{ system: 'http://snomed.info/sct', code: '13645005' }] } } },
      ],
    };
    const report = engine.check(bundle, { asOf: '2026-01-01' });
    expect(['heart-failure', 'atrial-fibrillation', 'copd'].map((id) => report.pathways.find((p) => p.id === id)?.applies)).toEqual(['false', 'false', 'true']);
    expect(report.dataQuality.filter((n) => n.code === 'status-not-coded').map((n) => [n.location, n.message])).toEqual([
      ['Condition/af', 'clinicalStatus is a bare code, as FHIR STU3 wrote it, not an R4 CodeableConcept; read as "active"'],
      ['Condition/af', 'verificationStatus is a bare code, as FHIR STU3 wrote it, not an R4 CodeableConcept; read as "refuted"'],
      ['Condition/copd', 'clinicalStatus is a bare code, as FHIR STU3 wrote it, not an R4 CodeableConcept; read as "active"'],
      ['Condition/hf', 'clinicalStatus is a bare code, as FHIR STU3 wrote it, not an R4 CodeableConcept; read as "resolved"'],
    ]);
  });

  it('recognises a condition by its codes, or else by its whole text or display, and notes the latter', () => {
    const active = { coding: [{ code: 'active' }] };
    const condition = (id: string, code: unknown, extra: Record<string, unknown> = {}): { resource: Record<string, unknown> } => ({ resource: { resourceType: 'Condition', id, clinicalStatus: active, code, ...extra } });
    const bundle = (...conditions: { resource: Record<string, unknown> }[]): unknown => ({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p1', birthDate: '1950-01-01', gender: 'female' } },
        { resource: { resourceType: 'MedicationStatement', id: 'm1', status: 'active', medicationCodeableConcept: { text: 'Naproxen 500mg tablets' } } },
        ...conditions,
      ],
    });
    const ulcerConflict = (report: ReturnType<typeof engine.check>): boolean =>
      report.conflicts.some((c) => c.kind === 'drug-condition' && c.participants.some((p) => p.name === 'peptic ulcer disease or gastrointestinal bleeding'));

    // Free text only.
    const byText = engine.check(bundle(condition('c1', { text: 'Peptic ulcer' })), { asOf: '2026-01-01' });
    expect(ulcerConflict(byText)).toBe(true);
    expect(byText.dataQuality.find((n) => n.code === 'condition-recognised-by-text')).toMatchObject({ location: 'Condition/c1', text: 'Peptic ulcer' });
    expect(byText.dataQuality.map((n) => n.code)).not.toContain('unrecognised-condition');

    // A local code carepath cannot know, with a display that names the condition (SNOMED CT semantic tag and case ignored).
    const byDisplay = engine.check(bundle(condition('c2', { coding: [{ system: 'http://example.org/practice-problem-codes', code: 'GU01', display: 'Gastric ulcer (disorder)' }] })), { asOf: '2026-01-01' });
    expect(ulcerConflict(byDisplay)).toBe(true);
    expect(byDisplay.dataQuality.find((n) => n.code === 'condition-recognised-by-text')?.message).toContain('http://example.org/practice-problem-codes GU01');

    // A code carepath knows needs no text: SNOMED CT 13200003 (peptic ulcer) and ICD-10-CM K26.9 (duodenal ulcer, under K26).
    for (const code of [{ system: 'http://snomed.info/sct', code: '13200003' }, { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'K26.9' }]) {
      const byCode = engine.check(bundle(condition('c6', { coding: [code] })), { asOf: '2026-01-01' });
      expect(ulcerConflict(byCode), code.code).toBe(true);
      expect(byCode.dataQuality.map((n) => n.code)).not.toContain('condition-recognised-by-text');
    }

    // Only the whole text counts: a negation or a family history is not the condition.
    const notIt = engine.check(bundle(condition('c3', { text: 'No peptic ulcer' }), condition('c4', { text: 'Family history of peptic ulcer' })), { asOf: '2026-01-01' });
    expect(ulcerConflict(notIt)).toBe(false);
    expect(notIt.dataQuality.filter((n) => n.code === 'unrecognised-condition').map((n) => n.text).sort()).toEqual(['Family history of peptic ulcer', 'No peptic ulcer']);

    // Statuses still hold: a refuted ulcer read from its text does not count.
    const refuted = engine.check(bundle(condition('c5', { text: 'Peptic ulcer' }, { verificationStatus: { coding: [{ code: 'refuted' }] } })), { asOf: '2026-01-01' });
    expect(ulcerConflict(refuted)).toBe(false);
  });

  it('checks the English GP record example as its clinician would: every result, dose and condition read, the short course kept out of the regular medicines', () => {
    const report = engine.check(JSON.parse(readFileSync(path.join(root, 'examples', 'af-ckd-depression-gp-record.fhir.json'), 'utf8')), { asOf: '2026-11-24' });
    const definite = report.conflicts.filter((c) => c.certainty === 'definite').map((c) => `${c.kind}:${c.participants.map((p) => p.name).join('+')}`);
    expect(definite).toEqual(
      expect.arrayContaining([
        'drug-drug:citalopram+clarithromycin',
        'dose:apixaban+atrial fibrillation with two of: age 80 or over, weight 60 kg or less, serum creatinine 133 µmol/L or more',
        'drug-condition:naproxen+taking an ACE inhibitor or ARB together with a diuretic',
        'drug-condition:citalopram+hyponatraemia (serum sodium 133 mmol/L or less)',
      ]),
    );
    // Nothing went unread: the notes say how things were read, none that something was not.
    expect([...new Set(report.dataQuality.map((n) => n.code))].sort()).toEqual(['condition-recognised-by-text', 'creatinine-clearance-calculated', 'dose-read-from-text']);
    // Seven regular medicines and the recommended statin; the clarithromycin course is not regular. HbA1c (41 mmol/mol) is on record.
    expect(report.burden.medicines).toBe(8);
    expect(report.plan.some((i) => i.action === 'monitor' && i.name === 'HbA1c')).toBe(false);
  });

  it('reads HbA1c in IFCC mmol/mol, as English laboratories report it, by the NGSP/IFCC master equation (NGSP % = 0.09148 × IFCC + 2.152)', () => {
    const ifcc = (value: number): unknown => ({ resource: { resourceType: 'Observation', id: 'a1c', status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code: '999791000000106', display: 'Haemoglobin A1c level - IFCC standardised' }] }, effectiveDateTime: '2026-10-01', valueQuantity: { value, unit: 'mmol/mol' } } });
    const hypertension = { resource: { resourceType: 'Condition', id: 'htn', clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '59621000' }] } } };
    const patient = { resource: { resourceType: 'Patient', id: 'p', birthDate: '1950-01-01' } };
    expect(fromFhirBundle({ resourceType: 'Bundle', entry: [ifcc(48)] }, knowledge).observations.map((o) => [o.concept, Number(o.value.toFixed(2))])).toEqual([['hba1c', 6.54]]);
    // With an IFCC HbA1c on record, the hypertension pathway no longer asks for one (NICE NG136 1.3.3).
    const asksForHba1c = (entry: unknown[]): boolean => engine.check({ resourceType: 'Bundle', entry }, { asOf: '2026-11-24' }).plan.some((i) => i.action === 'monitor' && i.name === 'HbA1c');
    expect([asksForHba1c([patient, hypertension]), asksForHba1c([patient, hypertension, ifcc(48)])]).toEqual([true, false]);
  });

  it('reads a unit however a record spells it: micro sign or Greek mu, powers, spaces, words', () => {
    const spellings: [string, string, number, string][] = [
      ['1000731000000107', 'μmol/L', 140, 'creatinine'],
      ['1000731000000107', 'micromol/L', 141, 'creatinine'],
      ['1011481000000105', 'mL/min/1.73 m²', 31, 'egfr'],
      ['1011481000000105', 'mL/min/1.73m^2', 32, 'egfr'],
      ['72313002', 'mm Hg', 150, 'systolic-bp'],
      ['60621009', 'kg/m²', 24, 'bmi'],
      ['364075005', 'beats/min', 60, 'heart-rate'],
      ['27113001', 'kilograms', 70, 'body-weight'],
    ];
    const record = fromFhirBundle(
      { resourceType: 'Bundle', entry: spellings.map(([code, unit, value], i) => ({ resource: { resourceType: 'Observation', id: `o${i}`, status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code }] }, effectiveDateTime: '2026-10-0' + String(i + 1), valueQuantity: { value, unit } } })) },
      knowledge,
    );
    expect(record.observations.map((o) => [o.concept, o.value]).sort()).toEqual(spellings.map(([, , value, concept]) => [concept, value]).sort());
    expect(record.dataQuality.filter((n) => n.code === 'unit-not-convertible')).toEqual([]);
  });

  it('reads a quantity by its UCUM code when its written unit is in words', () => {
    const creatinine = (id: string, valueQuantity: Record<string, unknown>): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] }, effectiveDateTime: '2025-10-01', valueQuantity },
    });
    const record = fromFhirBundle(
      {
        resourceType: 'Bundle',
        entry: [
          creatinine('o1', { value: 1.5, unit: 'milligrams per decilitre', system: 'http://unitsofmeasure.org', code: 'mg/dL' }),
          creatinine('o2', { value: 120, unit: 'micromoles per litre', system: 'http://example.org/lab-units', code: 'umol/L' }),
        ],
      },
      knowledge,
    );
    // 1.5 mg/dL is 132.6 µmol/L; a code from a system that is not UCUM is not trusted as one.
    expect(record.observations.map((o) => [o.location, o.concept, Math.round(o.value * 10) / 10])).toEqual([['Observation/o1', 'creatinine', 132.6]]);
    expect(record.dataQuality.find((n) => n.code === 'unit-not-convertible')).toMatchObject({ location: 'Observation/o2', text: '120 micromoles per litre' });
  });

  it('reads QTc, urine ACR, theophylline and a reported Cockcroft-Gault clearance by their LOINC codes, in the units labs use', () => {
    const observation = (id: string, loinc: string, value: number, code: string): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: loinc }] }, effectiveDateTime: '2025-10-01', valueQuantity: { value, unit: code, system: 'http://unitsofmeasure.org', code } },
    });
    const record = fromFhirBundle(
      {
        resourceType: 'Bundle',
        entry: [observation('q', '8636-3', 0.48, 's'), observation('a', '14959-1', 30, 'mg/g'), observation('t', '4049-3', 12, 'ug/mL'), observation('c', '35591-7', 42, 'mL/min')],
      },
      knowledge,
    );
    // 30 mg/g is 3.4 mg/mmol (creatinine 113.12 g/mol); 0.48 s is 480 ms.
    expect(record.observations.map((o) => [o.concept, Math.round(o.value * 10) / 10]).sort()).toEqual([
      ['creatinine-clearance', 42],
      ['qtc-interval', 480],
      ['theophylline-level', 12],
      ['urine-albumin-creatinine-ratio', 3.4],
    ]);
  });

  it('dates an observation by whichever effective[x] it has: a dateTime, a period or an instant', () => {
    const potassium = (id: string, when: Record<string, unknown>): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }] }, ...when, valueQuantity: { value: 5.8, unit: 'mmol/L' } },
    });
    const record = fromFhirBundle(
      {
        resourceType: 'Bundle',
        entry: [potassium('d', { effectiveDateTime: '2026-03-01' }), potassium('p', { effectivePeriod: { start: '2026-03-02T09:00:00Z' } }), potassium('i', { effectiveInstant: '2026-03-03T09:00:00.000Z' })],
      },
      knowledge,
    );
    expect(record.observations.map((o) => [o.location, new Date(o.time).toISOString().slice(0, 10)]).sort()).toEqual([
      ['Observation/d', '2026-03-01'],
      ['Observation/i', '2026-03-03'],
      ['Observation/p', '2026-03-02'],
    ]);
    expect(record.dataQuality.filter((n) => n.code === 'observation-without-value')).toEqual([]);
  });

  it('keeps a result reported as a bound as a bound, and notes a comparator that is not one', () => {
    const egfr = (id: string, comparator: string): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'Observation', id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '33914-3' }] }, effectiveDateTime: '2025-10-01', valueQuantity: { value: 90, comparator, unit: 'mL/min/1.73m2' } },
    });
    const record = fromFhirBundle({ resourceType: 'Bundle', entry: [egfr('o1', '>'), egfr('o2', 'ad')] }, knowledge);
    expect(record.observations.map((o) => [o.location, o.comparator, o.value])).toEqual([['Observation/o1', '>', 90]]);
    expect(record.dataQuality.find((n) => n.code === 'unusable-comparator')).toMatchObject({ location: 'Observation/o2', text: 'ad 90 mL/min/1.73m2' });
  });

  it('counts a medicine as current only between when it was prescribed or started and when it was last taken, so a check as of a past date sees what was there then', () => {
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p1', birthDate: '1950-01-01', gender: 'male' } },
        { resource: { resourceType: 'MedicationRequest', id: 'm1', status: 'active', authoredOn: '2020-01-10', medicationCodeableConcept: { text: 'Citalopram 20mg tablets' } } },
        { resource: { resourceType: 'MedicationRequest', id: 'm2', status: 'active', authoredOn: '2021-02-27T15:24:23+00:00', medicationCodeableConcept: { text: 'Clarithromycin 500mg tablets' } } },
        { resource: { resourceType: 'MedicationStatement', id: 'm3', status: 'active', effectivePeriod: { start: '2021-03-01' }, dateAsserted: '2021-03-02', medicationCodeableConcept: { text: 'Naproxen 500mg tablets' } } },
        // Taken until the end of 2020, though still marked active.
        { resource: { resourceType: 'MedicationStatement', id: 'm4', status: 'active', effectivePeriod: { start: '2019-05-01', end: '2020-12-31' }, medicationCodeableConcept: { text: 'Amitriptyline 10mg tablets' } } },
      ],
    };
    const before = engine.check(bundle, { asOf: '2020-06-30' });
    expect(before.plan.filter((i) => i.action === 'take').map((i) => i.name)).toEqual(['amitriptyline', 'citalopram']);
    expect(before.conflicts.some((c) => c.participants.some((x) => x.name === 'clarithromycin' || x.name === 'naproxen'))).toBe(false);
    expect(before.dataQuality.filter((n) => n.code === 'medication-after-check-date').map((n) => [n.location, n.message])).toEqual([
      ['MedicationRequest/m2', 'started or prescribed on 2021-02-27, after the check date; not counted as current'],
      ['MedicationStatement/m3', 'started or prescribed on 2021-03-01, after the check date; not counted as current'],
    ]);
    const after = engine.check(bundle, { asOf: '2021-06-01' });
    expect(after.plan.filter((i) => i.action === 'take').map((i) => i.name)).toEqual(['citalopram', 'clarithromycin', 'naproxen']);
    expect(after.conflicts.some((c) => c.kind === 'drug-drug' && c.severity === 'contraindicated')).toBe(true);
    expect(after.dataQuality.map((n) => n.code)).not.toContain('medication-after-check-date');
    expect(after.dataQuality.filter((n) => n.code === 'medication-ended-before-check-date').map((n) => [n.location, n.message])).toEqual([
      ['MedicationStatement/m4', 'ended on 2020-12-31, before the check date; not counted as current'],
    ]);
    // On the last day it was taken, it still counts.
    expect(engine.check(bundle, { asOf: '2020-12-31' }).plan.some((i) => i.action === 'take' && i.name === 'amitriptyline')).toBe(true);
    // An end given as a month alone may mean any day of it, so the medicine counts until the month is out.
    const byMonth = { ...bundle, entry: bundle.entry.map((e) => (e.resource.id === 'm4' ? { resource: { ...e.resource, effectivePeriod: { start: '2019-05-01', end: '2020-12' } } } : e)) };
    const taking = (asOf: string): boolean => engine.check(byMonth, { asOf }).plan.some((i) => i.action === 'take' && i.name === 'amitriptyline');
    expect([taking('2020-12-15'), taking('2021-01-05')]).toEqual([true, false]);
  });

  it('follows a medication reference however it is written: contained, relative, absolute or version-specific', () => {
    const medication = (id: string, text: string): { fullUrl: string; resource: Record<string, unknown> } => ({ fullUrl: `https://ehr.example.org/fhir/Medication/${id}`, resource: { resourceType: 'Medication', id, code: { text } } });
    const request = (id: string, reference: string, contained?: unknown): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'MedicationRequest', id, status: 'active', medicationReference: { reference }, ...(contained === undefined ? {} : { contained: [contained] }) },
    });
    const record = fromFhirBundle(
      {
        resourceType: 'Bundle',
        entry: [
          medication('a', 'Citalopram 20mg tablets'),
          medication('b', 'Naproxen 500mg tablets'),
          medication('c', 'Omeprazole 20mg capsules'),
          request('r1', 'Medication/a'),
          request('r2', 'https://ehr.example.org/fhir/Medication/b'),
          request('r3', 'https://other.example.org/fhir/Medication/c/_history/3'),
          request('r4', '#m', { resourceType: 'Medication', id: 'm', code: { text: 'Aspirin 75mg dispersible tablets' } }),
        ],
      },
      knowledge,
    );
    expect(record.medications.map((m) => [m.location, m.ingredients.map((i) => i.id).join('+')])).toEqual([
      ['MedicationRequest/r1', 'citalopram'],
      ['MedicationRequest/r2', 'naproxen'],
      ['MedicationRequest/r3', 'omeprazole'],
      ['MedicationRequest/r4', 'aspirin'],
    ]);
  });

  it('reads a Medication described by its ingredients alone, and a reference whose Medication was not sent by its display', () => {
    const sct = (code: string, display: string): Record<string, unknown> => ({ itemCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code, display }] } });
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        // Codeine and paracetamol by their SNOMED CT substance codes; naproxen named only by a reference's display.
        { resource: { resourceType: 'Medication', id: 'cocodamol', ingredient: [sct('387494007', 'Codeine'), sct('387517004', 'Paracetamol')] } },
        { resource: { resourceType: 'Medication', id: 'compounded', ingredient: [{ itemReference: { reference: 'Substance/n', display: 'Naproxen' } }] } },
        { resource: { resourceType: 'MedicationRequest', id: 'r1', status: 'active', intent: 'order', medicationReference: { reference: 'Medication/cocodamol' } } },
        { resource: { resourceType: 'MedicationRequest', id: 'r2', status: 'active', intent: 'order', medicationReference: { reference: 'Medication/compounded' } } },
        { resource: { resourceType: 'MedicationRequest', id: 'r3', status: 'active', intent: 'order', medicationReference: { reference: 'Medication/not-sent', display: 'Citalopram 20mg tablets' } } },
        { resource: { resourceType: 'MedicationRequest', id: 'r4', status: 'active', intent: 'order', medicationReference: { reference: 'Medication/not-sent' } } },
      ],
    };
    const record = fromFhirBundle(bundle, knowledge);
    expect(record.medications.map((m) => [m.location, m.text, m.ingredients.map((i) => i.id).join('+')])).toEqual([
      ['MedicationRequest/r1', 'Codeine + Paracetamol', 'codeine+paracetamol'],
      ['MedicationRequest/r2', 'Naproxen', 'naproxen'],
      ['MedicationRequest/r3', 'Citalopram 20mg tablets', 'citalopram'],
      ['MedicationRequest/r4', '', ''],
    ]);
    // The one with nothing to go by is noted, not dropped; the others are checked (citalopram with naproxen: bleeding).
    expect(record.dataQuality.filter((n) => n.code === 'unrecognised-medication').map((n) => n.location)).toEqual(['MedicationRequest/r4']);
    expect(engine.check(bundle, { asOf: '2026-01-01' }).conflicts.some((c) => c.kind === 'drug-drug' && c.participants.map((p) => p.name).join('+') === 'citalopram+naproxen')).toBe(true);
  });

  it('makes what hinges on a provisional, differential or unconfirmed diagnosis possible, not definite', () => {
    const bundle = (verification: string): unknown => ({
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p', birthDate: '1950-01-01', gender: 'female' } },
        {
          resource: {
            resourceType: 'Condition',
            id: 'ulcer',
            clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
            verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: verification }] },
            code: { coding: [{ system: 'http://snomed.info/sct', code: '13200003', display: 'Peptic ulcer' }] },
          },
        },
        { resource: { resourceType: 'MedicationRequest', id: 'n', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'Naproxen 500mg tablets' } } },
      ],
    });
    const ulcer = (verification: string): { certainty: string; settledBy?: string[]; participant?: string[] } | undefined => {
      const report = engine.check(bundle(verification), { asOf: '2026-01-01' });
      const c = report.conflicts.find((x) => x.kind === 'drug-condition' && x.participants.some((p) => p.name === 'peptic ulcer disease or gastrointestinal bleeding'));
      return c === undefined ? undefined : { certainty: c.certainty, ...(c.settledBy === undefined ? {} : { settledBy: c.settledBy.map((n) => n.message) }), participant: c.participants[1]?.provenance.map((p) => p.location ?? '') };
    };
    expect(ulcer('confirmed')).toEqual({ certainty: 'definite', participant: ['Condition/ulcer'] });
    for (const verification of ['provisional', 'differential', 'unconfirmed']) {
      expect(ulcer(verification)).toEqual({ certainty: 'possible', settledBy: ['peptic ulcer disease or gastrointestinal bleeding recorded only as an unconfirmed diagnosis'], participant: ['Condition/ulcer'] });
    }
    expect(ulcer('refuted')).toBeUndefined();
    const notes = engine.check(bundle('provisional'), { asOf: '2026-01-01' }).dataQuality.filter((n) => n.code === 'condition-unconfirmed');
    expect(notes.map((n) => [n.location, n.message])).toEqual([['Condition/ulcer', 'the diagnosis is provisional; whether the patient has it is unknown, so what hinges on it is possible']]);
  });

  describe('dose instructions in words, when no structured dose comes with them', () => {
    it('reads a plain instruction, and nothing that varies, depends on something or is not counted', () => {
      const read = (text: string): [number | undefined, number | undefined, number] | undefined => {
        const dose = doseFromText(text);
        return dose === undefined ? undefined : [dose.mg, dose.units, dose.perDay];
      };
      expect(
        ['One tablet twice a day', 'ONE tablet to be taken TWICE a day', '1 tablet, at NIGHT', '2 puffs bd', '500mg three times a day', 'Take 1 g four times a day', '1 tablet every 6 hours', 'half a tablet daily', 'One tablet once a day in the morning', 'one capsule three times a day for 7 days'].map(read),
      ).toEqual([
        [undefined, 1, 2],
        [undefined, 1, 2],
        [undefined, 1, 1],
        [undefined, 2, 2],
        [500, undefined, 3],
        [1000, undefined, 4],
        [undefined, 1, 4],
        [undefined, 0.5, 1],
        [undefined, 1, 1],
        [undefined, 1, 3],
      ]);
      const notPlain = ['one or two tablets four times a day', '1-2 tablets qds', 'up to 4 times a day', 'two puffs when required', 'one tablet daily; two at night', 'one tablet in the morning and two at night', '5ml three times a day', 'one weekly', 'take as directed', 'one every 5 hours', 'reduce to one daily', '2 sprays each nostril daily', '2 times a day for 10 days'];
      expect(notPlain.map(read)).toEqual(notPlain.map(() => undefined));
    });

    it('reads any text as a dose of positive, finite amounts taken a whole number of times a day, or as nothing', () => {
      const words = fc.constantFrom('one', 'two', 'half', 'a', '1', '2.5', '500mg', 'mg', 'g', 'tablet', 'puffs', 'twice', 'three', 'times', 'day', 'daily', 'bd', 'qds', 'every', '6', 'hours', 'at', 'night', 'or', '-', ';', 'for', '7', 'days', 'ml');
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.array(words, { maxLength: 8 }).map((w) => w.join(' '))), (text) => {
          const dose = doseFromText(text);
          if (dose === undefined) return;
          const each = dose.mg ?? dose.units ?? Number.NaN;
          expect(Number.isFinite(each) && each > 0 && Number.isInteger(dose.perDay) && dose.perDay >= 1 && dose.perDay <= 24).toBe(true);
        }),
      );
    });

    it('gives the dose limit what it needs: apixaban "one tablet twice a day" in an 86-year-old of 48 kg is 10 mg a day, with a note that it was read from words', () => {
      const bundle = {
        resourceType: 'Bundle',
        entry: [
          { resource: { resourceType: 'Patient', id: 'p', birthDate: '1940-01-01', gender: 'female' } },
          { resource: { resourceType: 'Condition', id: 'af', clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '49436004' }] } } },
          { resource: { resourceType: 'MedicationStatement', id: 'apx', status: 'active', medicationCodeableConcept: { text: 'Apixaban 5mg tablets' }, dosage: [{ text: 'One tablet twice a day' }] } },
          { resource: { resourceType: 'Observation', id: 'w', status: 'final', code: { coding: [{ system: 'http://snomed.info/sct', code: '27113001' }] }, effectiveDateTime: '2026-10-01', valueQuantity: { value: 48, unit: 'kg' } } },
        ],
      };
      const report = engine.check(bundle, { asOf: '2026-11-24' });
      expect(report.conflicts.filter((c) => c.kind === 'dose').map((c) => [c.certainty, c.explanation.slice(0, 24)])).toEqual([['definite', 'apixaban at 10 mg a day ']]);
      expect(report.dataQuality.filter((n) => n.code === 'dose-read-from-text').map((n) => [n.location, n.message])).toEqual([['MedicationStatement/apx', 'the dose is read from the instructions "One tablet twice a day" as 1 tablet twice a day']]);
      // The text view counts such notes and shows the instruction in the plan line.
      const text = renderText(report);
      expect([text.includes('  - dose-read-from-text: 1 note (listed in the JSON report)'), text.includes('take apixaban (One tablet twice a day)')]).toEqual([true, true]);
    });
  });

  describe('dosage instructions (FHIR R4 Dosage)', () => {
    const request = (id: string, text: string, ...dosageInstruction: Record<string, unknown>[]): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', medicationCodeableConcept: { text }, dosageInstruction },
    });
    const dosage = (doseQuantity: Record<string, unknown>, frequency: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      timing: { repeat: { frequency, period: 1, periodUnit: 'd' } },
      doseAndRate: [{ doseQuantity }],
      ...extra,
    });
    const mg = (value: number): Record<string, unknown> => ({ value, unit: 'milligram', system: 'http://unitsofmeasure.org', code: 'mg' });
    const dailyDoses = (record: ReturnType<typeof fromFhirBundle>): [string, number | undefined, number | undefined][] =>
      record.medications.map((m) => [m.location, m.ingredients[0]?.dailyMg, m.perDay]);

    it('reads a dose by mass whatever the unit is called, and counts tablets by the product strength', () => {
      const record = fromFhirBundle(
        {
          resourceType: 'Bundle',
          entry: [
            request('a', 'Simvastatin 40mg tablets', dosage(mg(40), 1)),
            request('b', 'Paracetamol 500mg tablets', dosage({ value: 1, unit: 'gram' }, 4)),
            request('c', 'Aspirin 75mg dispersible tablets', dosage({ value: 1, unit: 'tablet', system: 'http://snomed.info/sct', code: '428673006' }, 1)),
            request('d', 'Sertraline 50mg tablets', dosage({ value: 2 }, 1)),
            request('e', 'Levothyroxine sodium 100microgram tablets', dosage({ value: 100, unit: '\u03bcg' }, 1)),
          ],
        },
        knowledge,
      );
      // "40 milligram" was read as 40 tablets of 40 mg, and "1 gram" as one 500 mg tablet.
      expect(dailyDoses(record)).toEqual([
        ['MedicationRequest/a', 40, 1],
        ['MedicationRequest/b', 4000, 4],
        ['MedicationRequest/c', 75, 1],
        ['MedicationRequest/d', 100, 1],
        ['MedicationRequest/e', 0.1, 1],
      ]);
      expect(record.dataQuality.filter((n) => n.code === 'daily-dose-unknown')).toEqual([]);
    });

    it('counts administrations a day by frequency, by times of day or daily events, or by the timing code', () => {
      const timed = (id: string, timing: Record<string, unknown>): { resource: Record<string, unknown> } => request(id, 'Sertraline 50mg tablets', { timing, doseAndRate: [{ doseQuantity: mg(50) }] });
      const gts = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';
      const record = fromFhirBundle(
        {
          resourceType: 'Bundle',
          entry: [
            timed('f', { repeat: { frequency: 1, period: 12, periodUnit: 'h' } }),
            timed('t', { repeat: { timeOfDay: ['08:00:00', '20:00:00'] } }),
            timed('w', { repeat: { when: ['MORN', 'NOON', 'NIGHT'] } }),
            timed('c', { code: { coding: [{ system: gts, code: 'QID' }] } }),
            timed('o', { code: { coding: [{ system: gts, code: 'QOD' }] } }),
            timed('x', { code: { coding: [{ system: 'http://snomed.info/sct', code: 'BID' }] } }),
          ],
        },
        knowledge,
      );
      expect(dailyDoses(record)).toEqual([
        ['MedicationRequest/f', 100, 2],
        ['MedicationRequest/t', 100, 2],
        ['MedicationRequest/w', 150, 3],
        ['MedicationRequest/c', 200, 4],
        ['MedicationRequest/o', 25, 0.5],
        // BID in another code system is not a timing abbreviation.
        ['MedicationRequest/x', undefined, undefined],
      ]);
    });

    it('adds up dosages taken together (one sequence number): the NHS EPS concurrent-dosage example', () => {
      const file = path.join(dataDir, 'nhs-eps-dmd-examples', 'examples', 'secondary-care', 'homecare', 'acute', 'nominated-pharmacy', 'concurrent-dosage-instructions', '1-Prepare-Request-200_OK.json');
      const record = fromFhirBundle(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>, knowledge);
      // Prednisolone 5 mg at 08:00, 17:00 and 20:00 (three dosages, each sequence 1): 15 mg in three administrations a day.
      expect(record.medications.map((m) => [m.ingredients.map((i) => [i.id, i.dailyMg]), m.perDay])).toEqual([[[['prednisolone', 15]], 3]]);
      expect(record.medications[0]?.doseText).toMatch(/^2 tablets to be taken at 08:00 for two days.*; 1 tablet to be taken at 17:00 .*; 1 tablet to be taken at 20:00 /);
    });

    it('leaves the daily dose unknown, with a note, for a volume, a dose range or dosages that follow one another', () => {
      const record = fromFhirBundle(
        {
          resourceType: 'Bundle',
          entry: [
            request('v', 'Codeine phosphate 15mg/5ml oral solution', dosage({ value: 10, unit: 'ml' }, 4)),
            request('s', 'Prednisolone 5mg tablets', dosage({ value: 6 }, 1, { sequence: 1 }), dosage({ value: 4 }, 1, { sequence: 2 })),
            request('u', 'Prednisolone 5mg tablets', dosage({ value: 2 }, 1), dosage({ value: 1 }, 1)),
            request('r', 'Paracetamol 500mg tablets', { timing: { repeat: { frequency: 4, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseRange: { low: { value: 1, unit: 'tablet' }, high: { value: 2, unit: 'tablet' } } }] }),
          ],
        },
        knowledge,
      );
      // 10 ml was read as ten 15 mg doses, and a taper as its first step.
      expect(dailyDoses(record)).toEqual([
        ['MedicationRequest/v', undefined, 4],
        ['MedicationRequest/s', undefined, undefined],
        ['MedicationRequest/u', undefined, undefined],
        ['MedicationRequest/r', undefined, 4],
      ]);
      expect(record.dataQuality.filter((n) => n.code === 'daily-dose-unknown').map((n) => [n.location, n.message])).toEqual([
        ['MedicationRequest/r', 'the daily dose is not worked out: a dose range (1 to 2 tablet) has no single dose a day'],
        ['MedicationRequest/s', 'the daily dose is not worked out: its 2 dosage instructions follow one another, and which applies on the check date is not recorded'],
        ['MedicationRequest/u', 'the daily dose is not worked out: its 2 dosage instructions are not numbered, and which applies on the check date is not recorded'],
        ['MedicationRequest/v', "the daily dose is not worked out: a dose of 10 ml cannot be turned into milligrams without the product's concentration"],
      ]);
    });

    it('does not count a medicine taken only when needed among the regular medicines of NICE NG56', () => {
      const regular = ['Amlodipine 5mg tablets', 'Atorvastatin 20mg tablets', 'Aspirin 75mg dispersible tablets', 'Bisoprolol 2.5mg tablets', 'Ramipril 5mg capsules', 'Sertraline 50mg tablets', 'Omeprazole 20mg capsules', 'Metformin 500mg tablets', 'Tiotropium 18microgram inhalation powder capsules'];
      const bundle = (prn: Record<string, unknown>): unknown => ({
        resourceType: 'Bundle',
        entry: [
          ...regular.map((text, i) => request(`r${i}`, text, dosage({ value: 1 }, 1))),
          request('prn', 'Salbutamol 100micrograms/dose inhaler', dosage({ value: 2, unit: 'puff' }, 4, prn)),
        ],
      });
      const asNeeded = engine.check(bundle({ asNeededBoolean: true }), { asOf: '2026-01-01' });
      const regularly = engine.check(bundle({ asNeededBoolean: false }), { asOf: '2026-01-01' });
      // Nine regular medicines and a reliever inhaler when needed: below NG56's ten, and nine doses a day.
      expect([asNeeded.burden.medicines, asNeeded.burden.administrationsPerDay, asNeeded.conflicts.filter((c) => c.kind === 'burden').length]).toEqual([9, 9, 0]);
      expect([regularly.burden.medicines, regularly.burden.administrationsPerDay, regularly.conflicts.filter((c) => c.kind === 'burden').map((c) => c.participants[0]?.name)]).toEqual([10, 13, ['10 regular medicines']]);
      const reason = fromFhirBundle(bundle({ asNeededCodeableConcept: { text: 'breathlessness' } }) as Record<string, unknown>, knowledge);
      expect(reason.medications.map((m) => m.asNeeded)).toEqual([...regular.map(() => undefined), true]);
    });

    it('ends a course of fixed length when its dosage does (a 5-day azithromycin course is not current a year on)', () => {
      const course = (id: string, authoredOn: string, ...bounds: Record<string, unknown>[]): { resource: Record<string, unknown> } => ({
        resource: {
          resourceType: 'MedicationRequest',
          id,
          status: 'active',
          intent: 'order',
          authoredOn,
          medicationCodeableConcept: { text: 'Azithromycin 250mg tablets' },
          dosageInstruction: bounds.map((b, i) => ({ ...(bounds.length > 1 ? { sequence: i + 1 } : {}), timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', ...b } }, doseAndRate: [{ doseQuantity: mg(500) }] })),
        },
      });
      const bundle = (azithromycin: { resource: Record<string, unknown> }): unknown => ({ resourceType: 'Bundle', entry: [request('c', 'Citalopram 20mg tablets', dosage(mg(20), 1)), azithromycin] });
      const qt = (b: unknown, asOf: string): boolean => engine.check(b, { asOf }).conflicts.some((c) => c.kind === 'drug-drug' && c.participants.some((p) => p.name === 'azithromycin'));
      const fiveDays = course('a', '2025-01-10', { boundsDuration: { value: 5, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } });
      expect([qt(bundle(fiveDays), '2025-01-14'), qt(bundle(fiveDays), '2025-01-15'), qt(bundle(fiveDays), '2026-01-01')]).toEqual([true, false, false]);
      expect(engine.check(bundle(fiveDays), { asOf: '2026-01-01' }).dataQuality.find((n) => n.code === 'medication-ended-before-check-date')?.message).toBe('ended on 2025-01-14, before the check date; not counted as current');
      // A course bounded by dates ends on its last day; one that follows another lasts as long as both.
      const byPeriod = course('p', '2025-01-10', { boundsPeriod: { start: '2025-01-10', end: '2025-01-20' } });
      expect([qt(bundle(byPeriod), '2025-01-20'), qt(bundle(byPeriod), '2025-01-21')]).toEqual([true, false]);
      const stepped = course('s', '2025-01-01', { boundsDuration: { value: 5, code: 'd' } }, { boundsDuration: { value: 1, unit: 'week' } });
      expect([qt(bundle(stepped), '2025-01-12'), qt(bundle(stepped), '2025-01-13')]).toEqual([true, false]);
      // Without a bound, or without a start, the course has no known end; nor has one longer than a date can reach.
      expect(qt(bundle(course('n', '2025-01-10', {})), '2026-01-01')).toBe(true);
      expect(qt(bundle(course('l', '2025-01-10', { boundsDuration: { value: 1e300, code: 'd' } })), '2026-01-01')).toBe(true);
    });

    it('reads a short (acute) course from the NHS EPS prescription: checked while its supply lasts, never a regular medicine (FHIR course of therapy, NICE NG56)', () => {
      const file = path.join(dataDir, 'nhs-eps-dmd-examples', 'examples', 'primary-care', 'acute', 'nominated-pharmacy', 'medical-prescriber', '1-Prepare-Request-200_OK.json');
      const bundle = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      // Acute courses valid from 2022-10-21 with 10 days' supply, no date written: current up to 2022-10-30.
      const during = engine.check(bundle, { asOf: '2022-10-30' });
      expect(during.plan.filter((i) => i.action === 'take').map((i) => i.name)).toEqual(['amoxicillin', 'azithromycin', 'codeine', 'paracetamol', 'pseudoephedrine']);
      expect([during.burden.medicines, during.burden.administrationsPerDay]).toEqual([0, 0]);
      const after = engine.check(bundle, { asOf: '2022-10-31' });
      expect(after.plan.filter((i) => i.action === 'take')).toEqual([]);
      expect(after.dataQuality.filter((n) => n.code === 'medication-ended-before-check-date').map((n) => [n.text, n.message])).toEqual(
        ['Amoxicillin 250mg capsules', 'Co-codamol 30mg/500mg tablets', 'Pseudoephedrine hydrochloride 60mg tablets', 'Azithromycin 250mg capsules'].map((text) => [text, 'ended on 2022-10-30, before the check date; not counted as current']),
      );
    });

    it('ends a short course when its expected supply runs out, counted from the last day it may be dispensed; a continuing one never by its supply', () => {
      const supplied = (id: string, course: string, dispenseRequest: Record<string, unknown>, extra: Record<string, unknown> = {}): { resource: Record<string, unknown> } => ({
        resource: {
          resourceType: 'MedicationRequest',
          id,
          status: 'active',
          intent: 'order',
          medicationCodeableConcept: { text: 'Clarithromycin 500mg tablets' },
          courseOfTherapyType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy', code: course }] },
          dispenseRequest,
          ...extra,
        },
      });
      const week = { value: 7, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' };
      const current = (r: { resource: Record<string, unknown> }, asOf: string): boolean =>
        engine.check({ resourceType: 'Bundle', entry: [r] }, { asOf }).plan.some((i) => i.action === 'take' && i.name === 'clarithromycin');
      // Written on 1 March: a week's supply lasts to 7 March, and each repeat allowed adds a week.
      const written = supplied('w', 'acute', { expectedSupplyDuration: week }, { authoredOn: '2025-03-01' });
      expect([current(written, '2025-03-07'), current(written, '2025-03-08')]).toEqual([true, false]);
      const repeated = supplied('r', 'acute', { expectedSupplyDuration: week, numberOfRepeatsAllowed: 1 }, { authoredOn: '2025-03-01' });
      expect([current(repeated, '2025-03-14'), current(repeated, '2025-03-15')]).toEqual([true, false]);
      // It may be dispensed up to the end of its validity, so the supply is counted from then.
      const valid = supplied('v', 'acute', { expectedSupplyDuration: week, validityPeriod: { start: '2025-03-01', end: '2025-03-28' } }, { authoredOn: '2025-03-01' });
      expect([current(valid, '2025-04-03'), current(valid, '2025-04-04')]).toEqual([true, false]);
      // A dosage bounded to 3 days ends it no sooner than its supply.
      const bounded = supplied('b', 'acute', { expectedSupplyDuration: week }, { authoredOn: '2025-03-01', dosageInstruction: [{ timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 3, code: 'd' } } } }] });
      expect([current(bounded, '2025-03-07'), current(bounded, '2025-03-08')]).toEqual([true, false]);
      // A continuing medicine is renewed, so its supply never ends it; nor does a short course whose start is not known, which is checked with a note.
      expect(current(supplied('c', 'continuous', { expectedSupplyDuration: week }, { authoredOn: '2025-03-01' }), '2026-01-01')).toBe(true);
      const undated = supplied('u', 'acute', { expectedSupplyDuration: week });
      expect(current(undated, '2026-01-01')).toBe(true);
      const notes = (r: { resource: Record<string, unknown> }): string[] => engine.check({ resourceType: 'Bundle', entry: [r] }, { asOf: '2026-01-01' }).dataQuality.filter((n) => n.code === 'short-course-end-unknown').map((n) => n.location);
      expect([notes(undated), notes(written)]).toEqual([['MedicationRequest/u'], []]);
    });

    it('counts a short (acute) course in a native patient as current but not among the regular medicines', () => {
      const patient = (courseOfTherapy: 'acute' | 'continuous'): unknown => ({
        id: 'p',
        medications: [
          { id: 'c', ingredients: ['citalopram'], status: 'active', dose: { amountMg: 20, perDay: 1 } },
          { id: 'a', ingredients: ['azithromycin'], status: 'active', dose: { amountMg: 500, perDay: 1 }, courseOfTherapy },
        ],
      });
      const acute = engine.check(patient('acute'), { asOf: '2026-01-01' });
      const continuous = engine.check(patient('continuous'), { asOf: '2026-01-01' });
      expect([acute.burden.medicines, acute.burden.administrationsPerDay, continuous.burden.medicines, continuous.burden.administrationsPerDay]).toEqual([1, 1, 2, 2]);
      // The QT interaction (MHRA Drug Safety Update, December 2011) stands while the course is taken.
      for (const report of [acute, continuous]) expect(report.conflicts.some((c) => c.kind === 'drug-drug' && c.participants.map((p) => p.name).join('+') === 'azithromycin+citalopram')).toBe(true);
    });

    it('judges a dose limit on the dose as prescribed (simvastatin with ticagrelor: at most 40 mg a day, Brilinta label)', () => {
      const dose = (simvastatin: Record<string, unknown>): unknown => ({
        resourceType: 'Bundle',
        entry: [request('s', 'Simvastatin 20mg tablets', dosage(simvastatin, 1)), request('t', 'Ticagrelor 90mg tablets', dosage(mg(90), 2))],
      });
      const doseConflicts = (bundle: unknown): string[] => engine.check(bundle, { asOf: '2026-01-01' }).conflicts.filter((c) => c.kind === 'dose').map((c) => c.explanation);
      // "20 milligram" is 20 mg, within the limit; it was read as 400 mg.
      expect(doseConflicts(dose(mg(20)))).toEqual([]);
      expect(doseConflicts(dose(mg(80)))).toEqual([expect.stringMatching(/^simvastatin at 80 mg a day with ticagrelor: at most 40 mg a day/)]);
    });
  });

  it('does not count a medicine that is only proposed or planned, or asked not to be given (MedicationRequest.intent, doNotPerform)', () => {
    const request = (id: string, intent: string, text: string): { resource: Record<string, unknown> } => ({ resource: { resourceType: 'MedicationRequest', id, status: 'active', intent, medicationCodeableConcept: { text } } });
    const doNotGive = { resource: { ...request('r4', 'order', 'Aspirin 75mg dispersible tablets').resource, doNotPerform: true } };
    const record = fromFhirBundle({ resourceType: 'Bundle', entry: [request('r1', 'order', 'Citalopram 20mg tablets'), request('r2', 'proposal', 'Clarithromycin 500mg tablets'), request('r3', 'plan', 'Naproxen 500mg tablets'), doNotGive] }, knowledge);
    expect(record.medications.map((m) => [m.location, m.current])).toEqual([['MedicationRequest/r1', true], ['MedicationRequest/r2', false], ['MedicationRequest/r3', false], ['MedicationRequest/r4', false]]);
    expect(record.dataQuality.filter((n) => n.code === 'medication-not-ordered').map((n) => n.message)).toEqual([
      'a proposal, not a prescription; not counted as current',
      'a plan, not a prescription; not counted as current',
      'a request not to give it, not a prescription; not counted as current',
    ]);
  });

  it('reads active drug allergies, not refuted or resolved ones, and flags a drug the patient is allergic to', () => {
    const allergyTo = (id: string, text: string, extra: Record<string, unknown> = {}): { resource: Record<string, unknown> } => ({ resource: { resourceType: 'AllergyIntolerance', id, code: { text }, ...extra } });
    const bundle = (...allergies: { resource: Record<string, unknown> }[]): unknown => ({
      resourceType: 'Bundle',
      entry: [{ resource: { resourceType: 'MedicationStatement', id: 'm1', status: 'active', medicationCodeableConcept: { text: 'Naproxen 500mg tablets' } } }, ...allergies],
    });
    const flagged = (b: unknown): boolean => engine.check(b, { asOf: '2026-01-01' }).conflicts.some((c) => c.rule === 'recorded-allergy');
    expect(flagged(bundle(allergyTo('a1', 'Naproxen')))).toBe(true);
    expect(flagged(bundle(allergyTo('a2', 'Naproxen', { verificationStatus: { coding: [{ code: 'refuted' }] } })))).toBe(false);
    expect(flagged(bundle(allergyTo('a3', 'Naproxen', { clinicalStatus: { coding: [{ code: 'resolved' }] } })))).toBe(false);
    // A whole class, as allergies are often recorded, rules out each member; only the whole text names a class.
    expect(flagged(bundle(allergyTo('a4', 'NSAIDs')))).toBe(true);
    expect(flagged(bundle(allergyTo('a5', 'Allergy to non-steroidal anti-inflammatory drug (finding)')))).toBe(true);
    expect(flagged(bundle(allergyTo('a6', 'Penicillin')))).toBe(false);
    const record = fromFhirBundle(bundle(allergyTo('a7', 'Penicillin'), allergyTo('a8', 'ACE inhibitors')) as Record<string, unknown>, knowledge);
    expect(record.allergies.map((a) => [a.location, a.text, a.ingredients.includes('amoxicillin'), a.ingredients.includes('ramipril')])).toEqual([
      ['AllergyIntolerance/a7', 'Penicillin', true, false],
      ['AllergyIntolerance/a8', 'ACE inhibitors', false, true],
    ]);
    expect(fromFhirBundle(bundle(allergyTo('a9', 'Not an NSAID')) as Record<string, unknown>, knowledge).dataQuality.map((n) => n.code)).toContain('unrecognised-allergy');
    // The class may come first, as problem lists write it ("NSAID allergy", "Statin intolerance").
    expect(flagged(bundle(allergyTo('a11', 'NSAID allergy')))).toBe(true);
    const after = fromFhirBundle(bundle(allergyTo('a12', 'Penicillin allergy'), allergyTo('a13', 'Statin intolerance')) as Record<string, unknown>, knowledge);
    expect(after.allergies.map((a) => [a.text, a.ingredients.includes('amoxicillin'), a.ingredients.includes('simvastatin')])).toEqual([
      ['Penicillin allergy', true, false],
      ['Statin intolerance', false, true],
    ]);
    // A class's other names, as SNOMED CT writes its allergies.
    expect(flagged(bundle(allergyTo('a14', 'Non-steroidal anti-inflammatory agent allergy')))).toBe(true);
    const ace = fromFhirBundle(bundle(allergyTo('a15', 'Angiotensin-converting-enzyme inhibitor allergy')) as Record<string, unknown>, knowledge);
    expect(ace.allergies.map((a) => a.ingredients.includes('ramipril'))).toEqual([true]);
    // No code: the substance its reaction names.
    const byReaction = { resource: { resourceType: 'AllergyIntolerance', id: 'a10', reaction: [{ substance: { text: 'Naproxen' }, manifestation: [{ text: 'urticaria' }] }] } };
    expect(flagged(bundle(byReaction))).toBe(true);
  });

  it("checks one patient: another patient's resources in the same bundle are left out and noted, never mixed in", () => {
    const medicine = (id: string, subject: string | undefined, text: string): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', ...(subject === undefined ? {} : { subject: { reference: subject } }), medicationCodeableConcept: { text } },
    });
    const patient = (id: string): { fullUrl: string; resource: Record<string, unknown> } => ({ fullUrl: `urn:uuid:${id}`, resource: { resourceType: 'Patient', id, gender: 'female', birthDate: '1950-01-01' } });
    const pairOf = (names: readonly string[]): string[] => names.slice().sort();
    // A search result holding two patients: naproxen is one's, warfarin the other's, whichever way the reference is written.
    for (const other of ['Patient/b', 'urn:uuid:b', 'https://ehr.example.org/fhir/Patient/b/_history/3']) {
      const report = engine.check({ resourceType: 'Bundle', type: 'searchset', entry: [patient('a'), patient('b'), medicine('m1', 'urn:uuid:a', 'Naproxen 500mg tablets'), medicine('m2', other, 'Warfarin 1mg tablets')] }, { asOf: '2026-01-01' });
      expect(report.patientId).toBe('a');
      expect(report.plan.filter((i) => i.action === 'take').map((i) => i.name)).toEqual(['naproxen']);
      expect(report.conflicts.some((c) => pairOf(c.participants.map((x) => x.name)).join('+') === 'naproxen+warfarin'), other).toBe(false);
      expect(report.dataQuality.filter((n) => n.code === 'other-patient' || n.code === 'multiple-patients').map((n) => [n.code, n.location, n.text])).toEqual([
        ['multiple-patients', 'Patient/b', undefined],
        ['other-patient', 'MedicationRequest/m2', 'Warfarin 1mg tablets'],
      ]);
    }
    // No Patient resource: the record is of the patient the first resource names; one with no subject, or a subject carepath cannot tell (a Group), stays.
    const record = fromFhirBundle({ resourceType: 'Bundle', entry: [medicine('m1', 'Patient/a', 'Naproxen 500mg tablets'), medicine('m2', 'Patient/b', 'Warfarin 1mg tablets'), medicine('m3', undefined, 'Citalopram 20mg tablets'), medicine('m4', 'Group/ward-7', 'Omeprazole 20mg capsules')] }, knowledge);
    expect(record.medications.map((m) => m.location)).toEqual(['MedicationRequest/m1', 'MedicationRequest/m3', 'MedicationRequest/m4']);
    expect(record.dataQuality.find((n) => n.code === 'other-patient')?.message).toBe('about another patient (Patient/b), not the one checked; left out');
    // A URN alone cannot tell one patient from another without the Patient it belongs to: nothing is left out.
    const urns = fromFhirBundle({ resourceType: 'Bundle', entry: [medicine('m1', 'urn:uuid:a', 'Naproxen 500mg tablets'), medicine('m2', 'Patient/b', 'Warfarin 1mg tablets')] }, knowledge);
    expect(urns.medications.map((m) => m.location)).toEqual(['MedicationRequest/m1', 'MedicationRequest/m2']);
  });

  it('reads a resource the bundle holds more than once once: the newest version, else the first copy', () => {
    const naproxen = (version: string | undefined, strength: string): { resource: Record<string, unknown> } => ({
      resource: { resourceType: 'MedicationRequest', id: 'm1', ...(version === undefined ? {} : { meta: { versionId: version } }), status: 'active', intent: 'order', medicationCodeableConcept: { text: `Naproxen ${strength} tablets` } },
    });
    const ibuprofen = { resource: { resourceType: 'MedicationRequest', id: 'm2', status: 'active', intent: 'order', medicationCodeableConcept: { text: 'Ibuprofen 400mg tablets' } } };
    // A history Bundle lists the newest version first; a search page may repeat a resource as it is.
    for (const [entries, read, left] of [
      [[naproxen('2', '500mg'), naproxen('1', '250mg'), ibuprofen], 'Naproxen 500mg tablets', 'Naproxen 250mg tablets'],
      [[naproxen('1', '250mg'), naproxen('2', '500mg'), ibuprofen], 'Naproxen 500mg tablets', 'Naproxen 250mg tablets'],
      [[naproxen(undefined, '500mg'), ibuprofen, naproxen(undefined, '500mg')], 'Naproxen 500mg tablets', 'Naproxen 500mg tablets'],
    ] as const) {
      const report = engine.check({ resourceType: 'Bundle', type: 'history', entry: entries }, { asOf: '2026-01-01' });
      const current = report.plan.filter((i) => i.action === 'take');
      expect(current.map((i) => [i.name, i.provenance.map((p) => p.text)])).toEqual([['ibuprofen', ['Ibuprofen 400mg tablets']], ['naproxen', [read]]]);
      // Not two naproxen prescriptions: no duplicate of one ingredient, only the two NSAIDs.
      expect(report.conflicts.filter((c) => c.kind === 'duplicate').map((c) => c.participants.map((x) => x.name).sort().join('+'))).toEqual(['ibuprofen+naproxen']);
      expect(report.dataQuality.filter((n) => n.code === 'repeated-resource').map((n) => [n.location, n.text])).toEqual([['MedicationRequest/m1', left]]);
    }
  });

  it('tells an integrator who passes a Bundle as unparsed text to parse it first', () => {
    const text = readFileSync(path.join(root, 'examples', 'post-mi-clopidogrel.fhir.json'), 'utf8');
    expect(() => engine.check(text, { asOf: '2026-01-01' })).toThrow('/: expected a JSON object: a FHIR Bundle or a carepath patient, but found a string (JSON text must be parsed first, with JSON.parse or parseJson)');
  });

  it('never throws on malformed resources and notes what it could not use', () => {
    const bundle = {
      resourceType: 'Bundle',
      entry: [null, 3, { resource: null }, { resource: { resourceType: 'Observation', code: 'not a concept', valueQuantity: { value: 'x' } } }, { resource: { resourceType: 'MedicationRequest', medicationCodeableConcept: { coding: [{ system: 'urn:other', code: 42 }] } } }, { resource: { resourceType: 'Condition', code: { text: 'Something unusual' } } }, { resource: { resourceType: 'Condition', id: 'c9', clinicalStatus: { coding: [{ code: 'resolved' }] }, abatementDateTime: 'last spring', code: { text: 'COPD' } } }],
    };
    const report = engine.check(bundle, { asOf: '2026-01-01' });
    expect(validateReport(report).ok).toBe(true);
    const codes = report.dataQuality.map((n) => n.code);
    expect(codes).toContain('no-patient');
    expect(codes).toContain('entry-without-resource');
    expect(codes).toContain('unrecognised-medication');
    expect(codes).toContain('observation-without-value');
    expect(codes).toContain('unrecognised-condition');
    expect(report.dataQuality.find((n) => n.code === 'invalid-date' && n.location === 'Condition/c9')?.text).toBe('last spring');
  });
});

describe('FHIR R4 Bundles from the NHS electronic prescription service', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.json')) files.push(child);
    }
  };
  walk(path.join(dataDir, 'nhs-eps-dmd-examples', 'examples'));

  it.each(files.map((f) => path.relative(dataDir, f)))('%s gives a report or a typed error, and recognises its dm+d medicines', (relative) => {
    const json = JSON.parse(readFileSync(path.join(dataDir, relative), 'utf8')) as { resourceType?: string };
    if (json.resourceType !== 'Bundle') return;
    const report = engine.check(json, { asOf: '2026-01-01' });
    expect(validateReport(report).ok).toBe(true);
    expect(report.dataQuality.filter((n) => n.code === 'unrecognised-medication')).toEqual([]);
  });
});
