import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/engine.js';
import { renderText } from '../src/report/text.js';
import type { Conflict } from '../src/schema/generated/report.js';
import type { Patient, PatientMedication } from '../src/schema/generated/patient.js';

const engine = createEngine();
const AS_OF = '2026-11-24';

function med(id: string, text: string, amountMg?: number, status: PatientMedication['status'] = 'active'): PatientMedication {
  return { id, text, status, ...(amountMg === undefined ? {} : { dose: { amountMg, perDay: 1 } }) };
}

function patient(conditions: string[], medications: PatientMedication[], extra: Partial<Patient> = {}): Patient {
  return { id: 'scenario', birthDate: '1955-05-05', sex: 'male', conditions: conditions.map((concept, i) => ({ id: `c${i}`, concept, status: 'active' as const })), medications, ...extra };
}

/** The one conflict whose participants have exactly these names. */
function conflictOf(p: Patient, names: string[]): Conflict {
  const found = engine.check(p, { asOf: AS_OF }).conflicts.filter((c) => [...c.participants.map((x) => x.name)].sort().join('|') === [...names].sort().join('|'));
  expect(found.map((c) => c.kind)).toHaveLength(1);
  const [conflict] = found;
  if (conflict === undefined) throw new Error(`no conflict between ${names.join(' and ')}`);
  return conflict;
}

function medicineConflicts(p: Patient): Conflict[] {
  return engine.check(p, { asOf: AS_OF }).conflicts.filter((c) => c.participants.every((x) => x.type === 'medication' || x.type === 'condition') && c.kind !== 'burden');
}

describe('well-known conflicts, with the exact conflict and the top verified resolution', () => {
  it('citalopram with azithromycin: QT prolongation, contraindicated (MHRA Drug Safety Update, December 2011)', () => {
    const c = conflictOf(patient(['depression', 'copd'], [med('m1', 'Citalopram 20mg tablets', 20), med('m2', 'Azithromycin 250mg tablets', 250)]), ['azithromycin', 'citalopram']);
    expect([c.kind, c.severity, c.certainty]).toEqual(['drug-drug', 'contraindicated', 'definite']);
    expect(c.sources.map((s) => s.url)).toContain('https://www.gov.uk/drug-safety-update/citalopram-and-escitalopram-qt-interval-prolongation');
    expect(c.resolutions[0]?.strategy).toBe('avoid');
    expect(c.resolutions[0]?.recheck.outcome).toBe('resolved');
    expect(c.resolutions[0]?.description).toBe('Stop azithromycin');
    expect(c.resolutions.some((r) => r.strategy === 'substitute-within-class' && r.description.startsWith('Switch citalopram to ') && r.recheck.newConflicts.length === 0)).toBe(true);
  });

  it('citalopram with clarithromycin: the other medicine goes first, as the MHRA alert summary advises, whatever the names (MHRA Drug Safety Update, December 2011)', () => {
    const c = conflictOf(patient(['depression', 'copd'], [med('m1', 'Citalopram 20mg tablets', 20), med('m2', 'Clarithromycin 500mg tablets', 500)]), ['citalopram', 'clarithromycin']);
    expect(c.severity).toBe('contraindicated');
    expect(c.resolutions[0]).toMatchObject({ strategy: 'avoid', description: 'Stop clarithromycin' });
    expect(c.resolutions[0]?.sources?.map((s) => s.url)).toContain('https://www.gov.uk/drug-safety-update/citalopram-and-escitalopram-qt-interval-prolongation');
  });

  it('citalopram with a prolonged QTc in coronary heart disease: switch to sertraline, the first-choice SSRI there (NHS SPS, antidepressants in CHD)', () => {
    const withChd = conflictOf(patient(['depression', 'coronary-heart-disease', 'prolonged-qtc'], [med('m1', 'Citalopram 20mg tablets', 20)]), ['citalopram', 'borderline or prolonged QTc (above 450 ms in men, above 460 ms in women)']);
    const switches = withChd.resolutions.filter((r) => r.strategy === 'substitute-within-class');
    expect(switches.map((r) => r.description.split(' (')[0])).toEqual(['Switch citalopram to sertraline', 'Switch citalopram to fluoxetine', 'Switch citalopram to paroxetine']);
    expect(switches[0]?.sources?.map((s) => s.url)).toContain('https://www.sps.nhs.uk/articles/choosing-an-antidepressant-for-people-with-coronary-heart-disease');
    // Without coronary heart disease the source's order does not apply: members are tried by name, and none is called preferred.
    const without = conflictOf(patient(['depression', 'prolonged-qtc'], [med('m1', 'Citalopram 20mg tablets', 20)]), ['citalopram', 'borderline or prolonged QTc (above 450 ms in men, above 460 ms in women)']);
    const plain = without.resolutions.filter((r) => r.strategy === 'substitute-within-class');
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((r) => !r.description.includes('preferred'))).toBe(true);
    expect(plain.map((r) => r.description)).toEqual([...plain.map((r) => r.description)].sort());
  });

  it('SSRI with aspirin: bleeding risk, gastroprotection with a PPI offered and verified (NHS GGC medicines update; NICE depression guidance)', () => {
    const c = conflictOf(patient(['depression', 'coronary-heart-disease'], [med('m1', 'Sertraline 50mg tablets', 50), med('m2', 'Aspirin 75mg dispersible tablets', 75)]), ['aspirin', 'sertraline']);
    expect([c.kind, c.severity, c.mitigated ?? false]).toEqual(['drug-drug', 'moderate', false]);
    expect(c.resolutions[0]).toMatchObject({ strategy: 'add-mitigation', recheck: { outcome: 'mitigated', residualSeverity: 'moderate' } });
    expect(c.resolutions[0]?.description).toMatch(/^Add proton pump inhibitor \(PPI\)/);
  });

  it('an SSRI with aspirin and a PPI already taken is kept but marked mitigated', () => {
    const c = conflictOf(patient(['depression', 'coronary-heart-disease'], [med('m1', 'Sertraline 50mg tablets', 50), med('m2', 'Aspirin 75mg dispersible tablets', 75), med('m3', 'Lansoprazole 15mg capsules', 15)]), ['aspirin', 'sertraline']);
    expect(c.mitigated).toBe(true);
  });

  it('an SSRI with a DOAC: gastroprotection named by one of the equally severe rules counts (NHS GGC; NHS SPS antidepressants in CHD)', () => {
    const without = conflictOf(patient(['depression', 'atrial-fibrillation'], [med('m1', 'Citalopram 20mg tablets', 20), med('m2', 'Apixaban 5mg tablets', 10)]), ['apixaban', 'citalopram']);
    expect([without.kind, without.severity, without.mitigated ?? false]).toEqual(['drug-drug', 'moderate', false]);
    expect(without.resolutions.find((r) => r.strategy === 'add-mitigation')).toMatchObject({ recheck: { outcome: 'mitigated', residualSeverity: 'moderate' } });
    const withPpi = conflictOf(patient(['depression', 'atrial-fibrillation'], [med('m1', 'Citalopram 20mg tablets', 20), med('m2', 'Apixaban 5mg tablets', 10), med('m3', 'Lansoprazole 15mg capsules', 15)]), ['apixaban', 'citalopram']);
    expect(withPpi.mitigated).toBe(true);
  });

  it('an SSRI with an NSAID: stop the NSAID, the drug the source says to avoid, not the antidepressant (NHS GGC medicines update, March 2025)', () => {
    const c = conflictOf(patient(['depression'], [med('m1', 'Citalopram 20mg tablets', 20), med('m2', 'Naproxen 500mg tablets', 500)]), ['citalopram', 'naproxen']);
    expect([c.kind, c.severity]).toEqual(['drug-drug', 'severe']);
    expect(c.resolutions[0]).toMatchObject({ strategy: 'avoid', description: 'Stop naproxen', recheck: { outcome: 'resolved' } });
    expect(c.resolutions[0]?.sources?.map((s) => s.url)).toContain('https://ggcmedicines.org.uk/blog/medicines-update');
    // Stopping the antidepressant also ends the conflict, but no source advises it: it ranks after the advised option and cites nothing.
    const other = c.resolutions.find((r) => r.description === 'Stop citalopram');
    expect(other === undefined || (other.rank > 1 && other.sources === undefined)).toBe(true);
  });

  it('spironolactone beside an ACE inhibitor in heart failure is monitored, not stopped; beside a potassium supplement the supplement goes (spironolactone SmPC 4.3-4.4; NICE NG106)', () => {
    const p = patient(['heart-failure-reduced-ejection-fraction'], [med('m1', 'Spironolactone 25mg tablets', 25), med('m2', 'Ramipril 5mg capsules', 5), med('m3', 'Potassium chloride 600mg modified-release tablets', 600)]);
    const withAce = conflictOf(p, ['ramipril', 'spironolactone']);
    expect(withAce.resolutions.map((r) => r.strategy)).toEqual(['monitor', 'monitor', 'monitor']);
    expect(withAce.resolutions.some((r) => r.description.startsWith('Monitor serum potassium'))).toBe(true);
    const withSupplement = conflictOf(p, ['potassium chloride', 'spironolactone']);
    expect(withSupplement.resolutions[0]).toMatchObject({ strategy: 'avoid', description: 'Stop potassium chloride', recheck: { outcome: 'resolved' } });
    expect(withSupplement.resolutions[0]?.sources?.map((s) => s.url)).toContain('https://rxreasoner.com/monographs/qaialdo/precautions');
  });

  it('amitriptyline with amiodarone in coronary heart disease and AF: stop the tricyclic, which also meets both conditions, and never switch to another tricyclic (GB amitriptyline SmPC 4.3)', () => {
    const p = patient(['coronary-heart-disease', 'atrial-fibrillation'], [med('m1', 'Amitriptyline 25mg tablets', 25), med('m2', 'Amiodarone 200mg tablets', 200)]);
    const pair = conflictOf(p, ['amiodarone', 'amitriptyline']);
    expect(pair.resolutions.map((r) => r.description).slice(0, 2)).toEqual(['Stop amitriptyline', 'Stop amiodarone']);
    // The SmPC advises a drug that is not a tricyclic; the knowledge names no other tricyclic's contraindications, so substituting within the class is not offered.
    const inChd = conflictOf(p, ['amitriptyline', 'coronary heart disease']);
    expect(inChd.resolutions.map((r) => r.strategy)).toEqual(['avoid']);
  });

  it('clopidogrel with omeprazole: switch to another PPI (MHRA Drug Safety Update, April 2010)', () => {
    const c = conflictOf(patient(['myocardial-infarction'], [med('m1', 'Clopidogrel 75mg tablets', 75), med('m2', 'Omeprazole 20mg gastro-resistant capsules', 20)]), ['clopidogrel', 'omeprazole']);
    expect(c.kind).toBe('drug-drug');
    expect(c.resolutions[0]?.strategy).toBe('substitute-within-class');
    expect(c.resolutions[0]?.description).toBe('Switch omeprazole to lansoprazole (another proton pump inhibitor (PPI))');
    expect(c.resolutions[0]?.patches.map((p) => [p.op, p.path.join('/')])).toEqual([
      ['remove', 'items/take:ingredient:omeprazole'],
      ['add', 'items/stop:ingredient:omeprazole'],
      ['add', 'items/start:ingredient:lansoprazole'],
    ]);
  });

  it('simvastatin 40 mg with amlodipine: above the 20 mg limit; keep it at 20 mg (MHRA Drug Safety Update, August 2012)', () => {
    const c = conflictOf(patient(['hypertension'], [med('m1', 'Simvastatin 40mg tablets', 40), med('m2', 'Amlodipine 5mg tablets', 5)]), ['amlodipine', 'simvastatin']);
    expect([c.kind, c.certainty]).toEqual(['dose', 'definite']);
    expect(c.resolutions[0]).toMatchObject({ strategy: 'adjust-dose', description: 'Keep simvastatin at no more than 20 mg a day', recheck: { outcome: 'resolved' } });
  });

  it('apixaban 5 mg twice daily in AF at 86 years and 48 kg: above the 2.5 mg twice-daily dose; keep it within 5 mg a day (Eliquis SmPC posology)', () => {
    const af = (amountMg: number, observations: Patient['observations']): Patient =>
      patient(['atrial-fibrillation'], [{ id: 'm1', text: 'Apixaban tablets', status: 'active', dose: { amountMg, perDay: 2 } }], { birthDate: '1940-01-01', observations });
    const weight = (kg: number): NonNullable<Patient['observations']>[number] => ({ id: 'w', concept: 'body-weight', value: kg, unit: 'kg', date: '2026-10-01' });
    const creatinine = { id: 'cr', concept: 'creatinine', value: 90, unit: 'umol/L', date: '2026-10-01' };
    const doseConflicts = (p: Patient): Conflict[] => engine.check(p, { asOf: AS_OF }).conflicts.filter((c) => c.kind === 'dose');
    const [c] = doseConflicts(af(5, [weight(48), creatinine]));
    expect([c?.certainty, c?.severity, c?.participants.map((p) => p.name)]).toEqual(['definite', 'moderate', ['apixaban', 'atrial fibrillation with two of: age 80 or over, weight 60 kg or less, serum creatinine 133 µmol/L or more']]);
    expect(c?.resolutions[0]).toMatchObject({ strategy: 'adjust-dose', description: 'Keep apixaban at no more than 5 mg a day', recheck: { outcome: 'resolved' } });
    // At 2.5 mg twice daily, or with one criterion only (age), nothing; without a weight, a possible breach naming it.
    expect(doseConflicts(af(2.5, [weight(48), creatinine]))).toEqual([]);
    expect(doseConflicts(af(5, [weight(70), creatinine]))).toEqual([]);
    expect(doseConflicts(af(5, [creatinine])).map((x) => [x.certainty, x.settledBy?.map((n) => n.message)])).toEqual([['possible', ['no body weight in the last 12 months']]]);
  });

  it('edoxaban with creatinine clearance 50 mL/min or less: 60 mg a day breaches the 30 mg dose, 30 mg meets it (Lixiana UK prescribing information)', () => {
    const renal = (amountMg: number): Patient =>
      patient(['atrial-fibrillation'], [{ id: 'm1', text: 'Edoxaban tablets', status: 'active', dose: { amountMg, perDay: 1 } }], { observations: [{ id: 'c', concept: 'creatinine-clearance', value: 40, unit: 'mL/min', date: '2026-10-01' }] });
    const renalConflicts = (p: Patient): string[][] => engine.check(p, { asOf: AS_OF }).conflicts.filter((c) => c.participants[0]?.name === 'edoxaban' && c.certainty === 'definite').map((c) => [c.kind, c.certainty, c.resolutions[0]?.description ?? '']);
    expect(renalConflicts(renal(60))).toEqual([['dose', 'definite', 'Keep edoxaban at no more than 30 mg a day']]);
    expect(renalConflicts(renal(30))).toEqual([]);
  });

  it('citalopram 40 mg at 80 years: above the 20 mg maximum over 65; escitalopram 20 mg in hepatic impairment: above 10 mg (MHRA Drug Safety Update, December 2011)', () => {
    const ssri = (text: string, amountMg: number, birthDate: string, conditions: string[] = []): string[][] =>
      engine
        .check(patient(conditions, [{ id: 'm1', text, status: 'active', dose: { amountMg, perDay: 1 } }], { birthDate }), { asOf: AS_OF })
        .conflicts.filter((c) => c.kind === 'dose')
        .map((c) => [c.certainty, c.participants[1]?.name ?? '', c.resolutions[0]?.description ?? '']);
    expect(ssri('Citalopram 40mg tablets', 40, '1946-01-01')).toEqual([['definite', 'aged over 65', 'Keep citalopram at no more than 20 mg a day']]);
    expect(ssri('Citalopram 20mg tablets', 20, '1946-01-01')).toEqual([]);
    expect(ssri('Citalopram 40mg tablets', 40, '1970-01-01')).toEqual([]);
    expect(ssri('Escitalopram 20mg tablets', 20, '1970-01-01', ['hepatic-impairment'])).toEqual([['definite', 'hepatic impairment', 'Keep escitalopram at no more than 10 mg a day']]);
  });

  it('rivaroxaban 20 mg in AF with creatinine clearance 40 mL/min: above the 15 mg dose; not so without AF (KDIGO 2018, Table 1)', () => {
    const rivaroxaban = (conditions: string[], amountMg: number): string[][] =>
      engine
        .check(patient(conditions, [{ id: 'm1', text: 'Rivaroxaban tablets', status: 'active', dose: { amountMg, perDay: 1 } }], { observations: [{ id: 'c', concept: 'creatinine-clearance', value: 40, unit: 'mL/min', date: '2026-10-01' }] }), { asOf: AS_OF })
        .conflicts.filter((c) => c.kind === 'dose')
        .map((c) => [c.certainty, c.participants[1]?.name ?? '', c.resolutions[0]?.description ?? '']);
    expect(rivaroxaban(['atrial-fibrillation'], 20)).toEqual([['definite', 'atrial fibrillation with creatinine clearance 50 mL/min or less (Cockcroft-Gault)', 'Keep rivaroxaban at no more than 15 mg a day']]);
    expect(rivaroxaban(['atrial-fibrillation'], 15)).toEqual([]);
    expect(rivaroxaban([], 20)).toEqual([]);
  });

  it('simvastatin 20 mg with amlodipine is within the limit, and at an unknown dose it is a possible breach naming the dose', () => {
    expect(medicineConflicts(patient([], [med('m1', 'Simvastatin 20mg tablets', 20), med('m2', 'Amlodipine 5mg tablets', 5)])).filter((c) => c.kind === 'dose')).toEqual([]);
    const c = conflictOf(patient([], [med('m1', 'Simvastatin tablets'), med('m2', 'Amlodipine 5mg tablets', 5)]), ['amlodipine', 'simvastatin']);
    expect([c.kind, c.certainty]).toEqual(['dose', 'possible']);
    expect(c.settledBy?.map((n) => n.message)).toEqual(['daily dose of simvastatin not known']);
  });

  it('verapamil in heart failure with reduced ejection fraction: stop it (STOPP/START v3; NICE NG106)', () => {
    const p = patient(['heart-failure'], [med('m1', 'Verapamil 80mg tablets', 80)], { observations: [{ id: 'o1', concept: 'lvef', value: 30, unit: '%', date: '2026-09-01' }] });
    const c = conflictOf(p, ['verapamil', 'heart failure with reduced ejection fraction']);
    expect([c.kind, c.severity]).toEqual(['drug-condition', 'severe']);
    expect(c.resolutions[0]?.description).toBe('Stop verapamil');
    // The heart failure pathway both avoids and stops rate-limiting calcium channel blockers: one contradiction, each advice named once in words.
    const report = engine.check(p, { asOf: AS_OF });
    const contradiction = report.conflicts.find((x) => x.kind === 'contradiction' && x.participants[0]?.name === 'verapamil');
    expect(contradiction?.explanation).toBe('verapamil is a current medicine, but a pathway advises to avoid and stop rate-limiting calcium channel blocker (verapamil or diltiazem)');
    expect(renderText(report)).toContain('contradiction: verapamil + rate-limiting calcium channel blocker (verapamil or diltiazem)\n');
  });

  it('a medicine whose dose says "when required" is taken only when needed, not a regular medicine (NICE NG56 counts regular medicines)', () => {
    const dosed = (id: string, text: string, dose: string): PatientMedication => ({ id, text, status: 'active', dose: { text: dose } });
    const report = engine.check(
      patient([], [
        dosed('m1', 'Salbutamol 100micrograms/dose inhaler CFC free', 'two puffs when required'),
        dosed('m2', 'Paracetamol 500mg tablets', 'ONE OR TWO up to four times a day PRN'),
        dosed('m3', 'Omeprazole 20mg capsules', 'one daily'),
        dosed('m4', 'Sertraline 50mg tablets', 'as directed'),
        dosed('m5', 'Amlodipine 5mg tablets', 'one daily, increase to two if necessary'),
      ]),
      { asOf: AS_OF },
    );
    expect(report.burden.medicines).toBe(3);
    expect(report.dataQuality.filter((n) => n.code === 'medication-as-needed-by-text').map((n) => [n.location, n.message])).toEqual([
      ['medications/m1', 'the dose "two puffs when required" says it is taken only when needed; it is not counted as a regular medicine'],
      ['medications/m2', 'the dose "ONE OR TWO up to four times a day PRN" says it is taken only when needed; it is not counted as a regular medicine'],
    ]);
  });

  it('ten medicines named by ingredient alone are ten regular medicines, and meet NICE NG56 (a medicine listed twice counts once)', () => {
    const ingredients = ['citalopram', 'ramipril', 'amlodipine', 'atorvastatin', 'aspirin', 'bisoprolol', 'omeprazole', 'metformin', 'tiotropium', 'furosemide'];
    const byIngredient = (list: string[]): PatientMedication[] => list.map((ingredient, i) => ({ id: `m${i}`, ingredients: [ingredient], status: 'active' }));
    const ten = engine.check(patient([], byIngredient(ingredients)), { asOf: AS_OF });
    expect([ten.burden.medicines, ten.conflicts.filter((c) => c.kind === 'burden').map((c) => c.participants[0]?.name)]).toEqual([10, ['10 regular medicines']]);
    const listedTwice = engine.check(patient([], byIngredient([...ingredients.slice(0, 9), 'citalopram'])), { asOf: AS_OF });
    expect([listedTwice.burden.medicines, listedTwice.conflicts.filter((c) => c.kind === 'burden')]).toEqual([9, []]);
  });

  it('the text view counts the treatment burden in words, one medicine as one', () => {
    const one = renderText(engine.check(patient([], [med('m1', 'Sertraline 50mg tablets', 50)]), { asOf: AS_OF }));
    expect(one).toContain('1 regular medicine, about 1 dose a day, 0 monitoring tests and 0 reviews a year.');
    const two = renderText(engine.check(patient([], [med('m1', 'Sertraline 50mg tablets', 50), med('m2', 'Omeprazole 20mg capsules', 20)]), { asOf: AS_OF }));
    expect(two).toContain('2 regular medicines, about 2 doses a day, 0 monitoring tests and 0 reviews a year.');
  });

  it('the text view summarises first: a possible conflict is counted and its missing data named, but stopping a drug for it is not put forward (STOPP v3 B4)', () => {
    // Without a recorded heart rate, bradycardia with bisoprolol is only possible; the list shows its verified option for when the data confirm it.
    const text = renderText(engine.check(patient(['coronary-heart-disease'], [med('m1', 'Bisoprolol 5mg tablets', 5)]), { asOf: AS_OF }));
    expect(text).toContain(
      [
        '\nAT A GLANCE',
        '0 definite conflicts; 1 possible conflict, which hinges on missing data.',
        'Missing data behind the possible conflicts:',
        '  - no heart rate in the last 3 months (1 conflict)',
        '',
        'CONFLICTS (0 DEFINITE, 1 POSSIBLE)',
      ].join('\n'),
    );
    expect(text).toContain('    If confirmed, best option (verified, resolved): Stop bisoprolol\n');
  });

  it('the text view summarises one change offered with different advice once, by the words the options share', () => {
    const bundle = JSON.parse(readFileSync('examples/depression-ihd-bleeding.fhir.json', 'utf8')) as unknown;
    const report = engine.check(bundle, { asOf: AS_OF });
    const text = renderText(report);
    const sodium = report.conflicts.flatMap((c, i) => (c.certainty === 'definite' && c.resolutions[0]?.description.startsWith('Monitor serum sodium: ') === true ? [i + 1] : []));
    // Two rules advise monitoring sodium in their own words; the summary names the one change once.
    expect(new Set(sodium.map((n) => report.conflicts[n - 1]?.resolutions[0]?.description)).size).toBe(2);
    expect(text).toContain(`\n  - Monitor serum sodium (${sodium.map((n) => `#${n}`).join(', ')})\n`);
    expect(text).toContain('\n  - Stop ibuprofen (#1, #2, #4, #6)\n');
  });

  it('the text view has no summary when there is no conflict', () => {
    const text = renderText(engine.check(patient([], [med('m1', 'Paracetamol 500mg tablets', 500)]), { asOf: AS_OF }));
    expect(text).not.toContain('AT A GLANCE');
    expect(text).toContain('\nCONFLICTS (0 DEFINITE, 0 POSSIBLE)\nNone found.\n');
  });

  it('the text view names a current medicine given by ingredient alone by where it is, not by empty text', () => {
    const text = renderText(engine.check(patient([], [{ id: 'm1', ingredients: ['paracetamol'], status: 'active' }]), { asOf: AS_OF }));
    expect(text).toContain('\n  - take paracetamol — current: medications/m1\n');
  });

  it('an NSAID with an ACE inhibitor and a diuretic: the triple whammy (bpacnz 2018)', () => {
    const c = conflictOf(patient(['hypertension'], [med('m1', 'Ibuprofen 400mg tablets', 400), med('m2', 'Ramipril 5mg capsules', 5), med('m3', 'Indapamide 2.5mg tablets', 2.5)]), ['ibuprofen', 'taking an ACE inhibitor or ARB together with a diuretic']);
    expect([c.kind, c.severity]).toEqual(['drug-condition', 'severe']);
    expect(c.resolutions[0]?.description).toBe('Stop ibuprofen');
  });

  it('metoprolol in heart failure with reduced ejection fraction: switch to the licensed beta-blocker the pathway offers, not add it (NICE NG106 1.4; STOPP/START v3)', () => {
    const p = patient(['heart-failure'], [med('m1', 'Metoprolol 50mg tablets', 100)], { observations: [{ id: 'o1', concept: 'lvef', value: 30, unit: '%', date: '2026-09-01' }] });
    const c = conflictOf(p, ['metoprolol', 'beta-blocker licensed for heart failure (bisoprolol, carvedilol or nebivolol)']);
    expect([c.kind, c.certainty]).toEqual(['duplicate', 'definite']);
    expect(c.resolutions[0]).toMatchObject({ strategy: 'substitute-within-class', recheck: { outcome: 'resolved', newConflicts: [] }, addedBurden: -1 });
    expect(c.resolutions[0]?.description).toBe('Switch metoprolol to the recommended beta-blocker licensed for heart failure (bisoprolol, carvedilol or nebivolol) rather than take both');
    expect(c.resolutions[0]?.sources?.map((s) => s.guideline)).toEqual(['NG106']);
    expect(c.resolutions[0]?.patches.map((x) => [x.op, x.path.join('/')])).toEqual([
      ['remove', 'items/take:ingredient:metoprolol'],
      ['add', 'items/stop:ingredient:metoprolol'],
    ]);
  });

  it('co-codamol with paracetamol tablets: the same ingredient twice (STOPP/START v3, duplicate prescription)', () => {
    const c = conflictOf(patient([], [med('m1', 'Co-codamol 30mg/500mg tablets'), med('m2', 'Paracetamol 500mg tablets')]), ['paracetamol']);
    expect([c.kind, c.severity]).toEqual(['duplicate', 'moderate']);
  });

  it('two SSRIs: duplicate therapy in one class (STOPP/START v3)', () => {
    const c = conflictOf(patient([], [med('m1', 'Sertraline 50mg tablets', 50), med('m2', 'Fluoxetine 20mg capsules', 20)]), ['fluoxetine', 'sertraline']);
    expect(c.kind).toBe('duplicate');
  });

  it('metformin already taken at an eGFR of 40 is monitored, not stopped: the source advises only against starting it there (FDA 2016 metformin labelling)', () => {
    const observations = [{ id: 'o1', concept: 'egfr', value: 40, unit: 'mL/min/{1.73_m2}', date: '2026-10-01' }];
    const c = conflictOf(patient(['type-2-diabetes'], [med('m1', 'Metformin 500mg tablets', 500)], { observations }), ['metformin', 'eGFR below 45 mL/min/1.73 m2']);
    expect([c.certainty, c.severity]).toEqual(['definite', 'moderate']);
    expect(c.resolutions.map((r) => r.strategy)).not.toContain('avoid');
    expect(c.resolutions[0]).toMatchObject({ strategy: 'monitor', recheck: { outcome: 'mitigated' } });
    expect(c.resolutions[0]?.description).toMatch(/^Monitor eGFR/);
  });

  it('metformin with no recent eGFR: a possible contraindication that names the missing test', () => {
    const c = conflictOf(patient(['type-2-diabetes'], [med('m1', 'Metformin 500mg tablets', 500)]), ['metformin', 'eGFR below 30 mL/min/1.73 m2 (CKD stage 4-5)']);
    expect(c.certainty).toBe('possible');
    expect(c.settledBy?.map((n) => n.concept)).toContain('egfr');
  });
});

describe('what a naive checker gets wrong', () => {
  it('bisoprolol in COPD is not a conflict: cardioselective beta-blockers are not withheld (NICE NG115; GB bisoprolol SmPC lists only severe asthma)', () => {
    const p = patient(['copd', 'heart-failure'], [med('m1', 'Bisoprolol 2.5mg tablets', 2.5), med('m2', 'Tiotropium 18microgram inhalation powder capsules')]);
    const airway = medicineConflicts(p).filter((c) => c.participants.some((x) => x.name === 'bisoprolol') && c.participants.some((x) => /asthma|copd|obstructive|bronch/i.test(x.name)));
    expect(airway).toEqual([]);
    expect(medicineConflicts(p).filter((c) => c.certainty === 'definite' && c.participants.some((x) => x.name === 'bisoprolol'))).toEqual([]);
  });

  it('propranolol in asthma is a conflict (non-selective beta-blockers)', () => {
    const c = conflictOf(patient(['asthma'], [med('m1', 'Propranolol 40mg tablets', 40)]), ['propranolol', 'asthma']);
    expect(c.kind).toBe('drug-condition');
  });

  it('a stopped medicine does not count', () => {
    const stopped = patient(['depression'], [med('m1', 'Sertraline 50mg tablets', 50), med('m2', 'Naproxen 500mg tablets', 500, 'stopped')]);
    expect(medicineConflicts(stopped).filter((c) => c.participants.some((x) => x.name === 'naproxen'))).toEqual([]);
  });

  it('a resolved condition does not count', () => {
    const p: Patient = { id: 'p', conditions: [{ id: 'c1', concept: 'heart-failure', status: 'resolved' }], medications: [med('m1', 'Verapamil 80mg tablets', 80)], observations: [{ id: 'o1', concept: 'lvef', value: 30, unit: '%', date: '2026-09-01' }] };
    expect(medicineConflicts(p).filter((c) => c.participants.some((x) => /heart failure/.test(x.name)))).toEqual([]);
  });

  it('a refuted diagnosis does not count', () => {
    const p: Patient = { id: 'p', conditions: [{ id: 'c1', concept: 'asthma', status: 'refuted' }], medications: [med('m1', 'Propranolol 40mg tablets', 40)] };
    expect(medicineConflicts(p).filter((c) => c.kind === 'drug-condition' && c.participants.some((x) => x.name === 'asthma'))).toEqual([]);
  });

  it('sertraline with clarithromycin is not flagged for QT: only citalopram and escitalopram carry the MHRA contraindication', () => {
    const p = patient([], [med('m1', 'Sertraline 50mg tablets', 50), med('m2', 'Clarithromycin 500mg tablets', 500)]);
    expect(medicineConflicts(p).filter((c) => c.explanation.includes('QT'))).toEqual([]);
  });
});

describe('conditions written only as text, as a native patient may give them', () => {
  it('are read by their whole name: COPD brings its pathway, a peptic ulcer meets naproxen (STOPP H1)', () => {
    const p: Patient = {
      id: 'text-conditions',
      birthDate: '1950-03-03',
      sex: 'female',
      conditions: [
        { id: 'c1', text: 'COPD', status: 'active' },
        { id: 'c2', text: 'Duodenal ulcer', status: 'active' },
        { id: 'c3', text: 'Suspected duodenal ulcer', status: 'active' },
      ],
      medications: [med('m1', 'Naproxen 500mg tablets')],
    };
    const report = engine.check(p, { asOf: AS_OF });
    expect(report.pathways.find((x) => x.id === 'copd')?.applies).toBe('true');
    const ulcer = report.conflicts.find((c) => c.kind === 'drug-condition' && c.participants.some((x) => x.name === 'peptic ulcer disease or gastrointestinal bleeding'));
    expect(ulcer?.severity).toBe('severe');
    expect(ulcer?.resolutions[0]?.description).toBe('Stop naproxen');
    expect(report.dataQuality.filter((n) => n.code === 'condition-recognised-by-text').map((n) => n.text).sort()).toEqual(['COPD', 'Duodenal ulcer']);
    // "Suspected" is not the condition: it stays unrecognised, and says so.
    expect(report.dataQuality.filter((n) => n.code === 'unrecognised-condition').map((n) => n.text)).toEqual(['Suspected duodenal ulcer']);
  });
});

describe('creatinine clearance by Cockcroft-Gault, as the MHRA advises for DOAC dosing (Drug Safety Update, October 2019)', () => {
  const observations = (creatinineUmol: number, weightKg: number, date = '2026-10-01'): NonNullable<Patient['observations']> => [
    { id: 'o1', concept: 'creatinine', value: creatinineUmol, unit: 'umol/L', date },
    { id: 'o2', codes: [{ system: 'http://loinc.org', code: '29463-7' }], value: weightKg, unit: 'kg', date: '2026-09-15' },
  ];
  const onDabigatran = (sex: Patient['sex'], birthDate: string, obs: NonNullable<Patient['observations']>): Patient => ({
    id: 'crcl', birthDate, sex, conditions: [{ id: 'c1', concept: 'atrial-fibrillation', status: 'active' }], medications: [med('m1', 'Dabigatran 110mg capsules')], observations: obs,
  });
  const renalConflict = (p: Patient): Conflict | undefined =>
    engine.check(p, { asOf: AS_OF }).conflicts.find((c) => c.kind === 'drug-condition' && c.participants.some((x) => x.name === 'creatinine clearance below 30 mL/min (Cockcroft-Gault)'));

  it('an 86-year-old woman of 50 kg with creatinine 150 µmol/L has a clearance of 19 mL/min: dabigatran is contraindicated, definitely', () => {
    const p = onDabigatran('female', '1940-02-01', observations(150, 50));
    expect(renalConflict(p)).toMatchObject({ severity: 'contraindicated', certainty: 'definite' });
    const note = engine.check(p, { asOf: AS_OF }).dataQuality.find((n) => n.code === 'creatinine-clearance-calculated');
    expect(note).toMatchObject({ location: 'observations/o1', text: '19 mL/min' });
    expect(note?.message).toContain('actual body weight 50 kg (2026-09-15), age 86, female');
  });

  it('a 60-year-old man of 80 kg with creatinine 90 µmol/L has 87 mL/min: no renal conflict with dabigatran', () => {
    const p = onDabigatran('male', '1966-01-01', observations(90, 80));
    expect(renalConflict(p)).toBeUndefined();
    expect(engine.check(p, { asOf: AS_OF }).dataQuality.find((n) => n.code === 'creatinine-clearance-calculated')?.text).toBe('87 mL/min');
  });

  it('is not worked out without a sex the formula knows, or from a creatinine older than a year: the conflict stays possible', () => {
    for (const p of [onDabigatran('unknown', '1940-02-01', observations(150, 50)), onDabigatran('female', '1940-02-01', observations(150, 50, '2025-06-01'))]) {
      expect(renalConflict(p)?.certainty).toBe('possible');
      expect(engine.check(p, { asOf: AS_OF }).dataQuality.map((n) => n.code)).not.toContain('creatinine-clearance-calculated');
    }
  });
});

describe('a result known only as a bound, as laboratories report "<30" or ">90"', () => {
  const withEgfr = (comparator: '<' | '>', value: number): Patient => ({
    id: 'bound', birthDate: '1950-01-01', sex: 'female', conditions: [], medications: [med('m1', 'Naproxen 500mg tablets')],
    observations: [{ id: 'o1', concept: 'egfr', comparator, value, unit: 'mL/min/1.73m2', date: '2026-10-01' }],
  });
  const egfrConflicts = (p: Patient): Conflict[] => engine.check(p, { asOf: AS_OF }).conflicts.filter((c) => c.participants.some((x) => x.name.startsWith('eGFR below')));

  it('settles what the bound settles: eGFR <30 is below 30 and below 60; eGFR >90 is below neither (Kidney360 2020, NSAIDs in CKD)', () => {
    const low = egfrConflicts(withEgfr('<', 30));
    expect(low.map((c) => [c.participants[1]?.name, c.certainty])).toEqual([
      ['eGFR below 30 mL/min/1.73 m2 (CKD stage 4-5)', 'definite'],
      ['eGFR below 60 mL/min/1.73 m2', 'definite'],
    ]);
    expect(egfrConflicts(withEgfr('>', 90))).toEqual([]);
  });

  it('leaves unknown what the bound does not settle, and says why: eGFR <90 may or may not be below 60', () => {
    const open = egfrConflicts(withEgfr('<', 90));
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((c) => c.certainty === 'possible')).toBe(true);
    expect(open[0]?.settledBy?.map((n) => n.message)).toContain('the latest eGFR is recorded only as <90 mL/min/{1.73_m2}');
  });
});

describe('a condition that has ended counts on a check date before it ended', () => {
  const withUlcer = (condition: Partial<NonNullable<Patient['conditions']>[number]>): Patient => ({
    id: 'ended', birthDate: '1950-01-01', sex: 'male', medications: [med('m1', 'Naproxen 500mg tablets')],
    conditions: [{ id: 'c1', concept: 'peptic-ulcer-or-gi-bleeding', status: 'resolved', ...condition }],
  });
  const ulcerConflict = (p: Patient, asOf: string): boolean =>
    engine.check(p, { asOf }).conflicts.some((c) => c.kind === 'drug-condition' && c.participants.some((x) => x.name === 'peptic ulcer disease or gastrointestinal bleeding'));

  it('an ulcer from January 2025 that healed in September 2026 meets naproxen in June 2026, not in November (STOPP H1)', () => {
    const p = withUlcer({ onset: '2025-01-10', abatement: '2026-09-01' });
    expect(ulcerConflict(p, '2026-06-30')).toBe(true);
    expect(ulcerConflict(p, AS_OF)).toBe(false);
  });

  it('does not count when it is not known to have begun by then, or was entered in error', () => {
    expect(ulcerConflict(withUlcer({ abatement: '2026-09-01' }), '2026-06-30')).toBe(false);
    expect(ulcerConflict(withUlcer({ status: 'entered-in-error', onset: '2025-01-10', abatement: '2026-09-01' }), '2026-06-30')).toBe(false);
  });
});

describe('a drug the patient is recorded as allergic to (NICE CG183 and QS97)', () => {
  const allergic = (allergies: NonNullable<Patient['allergies']>, medications: PatientMedication[], conditions: string[] = []): Patient => ({
    ...patient(conditions, medications),
    allergies,
  });
  const allergyConflicts = (p: Patient): Conflict[] => engine.check(p, { asOf: AS_OF }).conflicts.filter((c) => c.rule === 'recorded-allergy');

  it('naproxen taken despite a recorded naproxen allergy: contraindicated, stop it', () => {
    const [c, ...others] = allergyConflicts(allergic([{ id: 'a1', text: 'Naproxen' }], [med('m1', 'Naproxen 500mg tablets')]));
    expect(others).toEqual([]);
    expect(c).toMatchObject({ kind: 'drug-condition', severity: 'contraindicated', certainty: 'definite' });
    expect(c?.participants.map((x) => x.name)).toEqual(['naproxen', 'recorded allergy or intolerance to naproxen']);
    expect(c?.participants[1]?.provenance).toEqual([{ from: 'patient-record', location: 'allergies/a1', text: 'Naproxen' }]);
    expect(c?.resolutions[0]).toMatchObject({ strategy: 'avoid', description: 'Stop naproxen' });
    expect(c?.sources.map((s) => s.guideline)).toEqual(['CG183', 'QS97']);
  });

  it('notes an allergy to an ingredient carepath does not know, rather than dropping it', () => {
    const report = engine.check(allergic([{ id: 'a1', ingredients: ['unobtainium'] }], [med('m1', 'Naproxen 500mg tablets')]), { asOf: AS_OF });
    expect(report.dataQuality.find((n) => n.code === 'unknown-ingredient')).toMatchObject({ location: 'allergies/a1', text: 'unobtainium' });
  });

  it('meets a recommended drug too, but a recommended class only when every member is an allergen (NG238 atorvastatin, NG222 SSRI)', () => {
    const p = allergic([{ id: 'a1', ingredients: ['atorvastatin', 'sertraline'] }], [], ['coronary-heart-disease', 'depression', 'more-severe-depression']);
    const plan = engine.check(p, { asOf: AS_OF }).plan.filter((i) => i.action === 'start').map((i) => i.name);
    expect(plan).toEqual(expect.arrayContaining(['atorvastatin', 'selective serotonin reuptake inhibitor (SSRI)']));
    const conflicts = allergyConflicts(p);
    expect(conflicts.map((c) => c.participants[0]?.name)).toEqual(['atorvastatin']);
    expect(conflicts[0]?.resolutions[0]?.description).toBe('Do not start atorvastatin');
  });
});

describe('an allergy or intolerance changes what a pathway offers, through the concepts it establishes', () => {
  const afterOldMi = (allergies: NonNullable<Patient['allergies']>): Patient => ({
    id: 'old-mi', birthDate: '1950-01-01', sex: 'male',
    conditions: [{ id: 'c1', concept: 'myocardial-infarction', status: 'active', onset: '2015-03-01' }],
    medications: [],
    allergies,
  });
  const starts = (p: Patient): string[] => engine.check(p, { asOf: AS_OF }).plan.filter((i) => i.action === 'start').map((i) => i.name);

  it('an aspirin allergy recorded as an allergy (not a diagnosis) gives clopidogrel instead of aspirin after an MI (NICE NG185)', () => {
    expect(starts(afterOldMi([]))).toContain('aspirin');
    const allergic = starts(afterOldMi([{ id: 'a1', text: 'Aspirin' }]));
    expect(allergic).not.toContain('aspirin');
    expect(allergic).toContain('clopidogrel');
  });

  it('an intolerance to one ACE inhibitor counts as ACE inhibitors not tolerated: an ARB is offered instead (NICE NG185)', () => {
    expect(starts(afterOldMi([]))).toContain('ACE inhibitor');
    const intolerant = starts(afterOldMi([{ id: 'a1', text: 'Ramipril' }]));
    expect(intolerant).not.toContain('ACE inhibitor');
    expect(intolerant.some((name) => name.startsWith('angiotensin II receptor blocker'))).toBe(true);
  });
});
