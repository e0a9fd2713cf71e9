/**
 * carepath benchmark: the cost of `check` per patient (p50, p99) on the bundled examples, on the
 * Synthea sample bundles and on generated patients with 5 to 20 medicines, beside the cost of
 * parsing each patient's FHIR Bundle in the same run. It measures the built package, as users run
 * it. Run with `npm run bench` (which builds first); results go to BENCHMARKS.md by hand, with
 * the machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, fromFhirBundle, type Patient } from 'carepath';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const engine = createEngine();
const asOf = '2026-11-24';

function nanoseconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start);
}

/** A full garbage collection, when Node exposes it (`--expose-gc`), so that one measurement does not pay for the last one's garbage. */
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

/** How long each measurement warms up first: a service checks patients all day, so the figures are for code the JIT has settled. */
const WARM_UP_MS = 1000;

/**
 * Runs `run` repeatedly and returns each time in milliseconds, sorted. A full collection first
 * clears what the last measurement left; then the warm-up brings the code and the heap (the
 * young generation regrows after a full collection) to their steady state before timing.
 */
function sample(run: () => void, iterations: number): number[] {
  collect();
  const warm = performance.now() + WARM_UP_MS;
  while (performance.now() < warm) run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) times.push(nanoseconds(run) / 1e6);
  return times.sort((a, b) => a - b);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

/** A generated patient: COPD, heart disease and depression with `count` current medicines drawn from those the pathways use. */
function generated(count: number, seed: number): Patient {
  const pool = ['salbutamol', 'tiotropium', 'salmeterol', 'fluticasone', 'theophylline', 'azithromycin', 'carbocisteine', 'bisoprolol', 'ramipril', 'amlodipine', 'atorvastatin', 'simvastatin', 'aspirin', 'clopidogrel', 'apixaban', 'warfarin', 'furosemide', 'spironolactone', 'indapamide', 'digoxin', 'amiodarone', 'citalopram', 'sertraline', 'mirtazapine', 'amitriptyline', 'omeprazole', 'lansoprazole', 'naproxen', 'ibuprofen', 'paracetamol', 'codeine', 'tramadol', 'metformin', 'gliclazide', 'dapagliflozin', 'prednisolone', 'zopiclone', 'levothyroxine'];
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648);
  const chosen = new Set<string>();
  while (chosen.size < count) chosen.add(pool[next() % pool.length] ?? 'paracetamol');
  return {
    id: `generated-${count}-${seed}`,
    birthDate: '1950-05-05',
    sex: seed % 2 === 0 ? 'female' : 'male',
    conditions: ['copd', 'coronary-heart-disease', 'depression', 'hypertension', 'atrial-fibrillation'].map((concept, i) => ({ id: `c${i}`, concept, status: 'active' as const })),
    medications: [...chosen].map((ingredient, i) => ({ id: `m${i}`, ingredients: [ingredient], status: 'active' as const, dose: { amountMg: 20, perDay: 1 } })),
    observations: [
      { id: 'o1', concept: 'egfr', value: 48, unit: 'mL/min/{1.73_m2}', date: '2026-10-01' },
      { id: 'o2', concept: 'potassium', value: 4.9, unit: 'mmol/L', date: '2026-10-01' },
      { id: 'o3', concept: 'fev1-percent-predicted', value: 52, unit: '%', date: '2026-06-01' },
      { id: 'o4', concept: 'systolic-bp', value: 146, unit: 'mm[Hg]', date: '2026-10-01' },
    ],
    events: [{ id: 'e1', concept: 'copd-exacerbation', date: '2026-03-01' }],
  };
}

const lines: string[] = [];
const log = (line: string): void => {
  lines.push(line);
  console.log(line);
};
log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`);
log(`pathways: ${engine.pathways.length}, ingredients: ${engine.knowledge.ingredients.size}, drug-drug rules: ${engine.knowledge.drugInteractions.length}, drug-condition rules: ${engine.knowledge.conditionInteractions.length}`);
log('');
log('| input | medicines | parse p50 | check p50 | check p99 | check/parse (p50) |');
log('|---|---|---|---|---|---|');

/** The same patient as a FHIR R4 Bundle, so that every row compares checking with parsing that patient's Bundle. */
function asBundle(patient: Patient): Record<string, unknown> {
  const entry: Record<string, unknown>[] = [{ resource: { resourceType: 'Patient', id: patient.id, gender: patient.sex, birthDate: patient.birthDate } }];
  for (const c of patient.conditions ?? []) {
    const concept = engine.knowledge.conditions.get(c.concept ?? '');
    entry.push({ resource: { resourceType: 'Condition', id: c.id, clinicalStatus: { coding: [{ code: c.status }] }, code: { coding: (concept?.snomed ?? []).slice(0, 1).map((code) => ({ system: 'http://snomed.info/sct', code })), text: concept?.name } } });
  }
  for (const m of patient.medications ?? []) {
    const name = engine.knowledge.ingredients.get(m.ingredients?.[0] ?? '')?.name ?? m.text ?? '';
    entry.push({ resource: { resourceType: 'MedicationRequest', id: m.id, status: m.status, intent: 'order', medicationCodeableConcept: { text: `${name} 20mg tablets` }, dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 20, unit: 'mg' } }] }] } });
  }
  for (const o of patient.observations ?? []) {
    const loinc = engine.knowledge.observations.get(o.concept ?? '')?.definition.loinc?.[0] ?? '';
    entry.push({ resource: { resourceType: 'Observation', id: o.id, status: 'final', code: { coding: [{ system: 'http://loinc.org', code: loinc }] }, effectiveDateTime: o.date, valueQuantity: { value: o.value, unit: o.unit } } });
  }
  return { resourceType: 'Bundle', type: 'collection', entry };
}

/** Times parsing a Bundle's text (JSON.parse and the FHIR adapter) and checking the record it gives. */
function row(label: string, text: string, medicines: number | string, iterations: number, date: string): void {
  const read = (): ReturnType<typeof fromFhirBundle> => fromFhirBundle(JSON.parse(text) as Record<string, unknown>, engine.knowledge);
  const parse = sample(() => read(), 100);
  const record = read();
  const check = sample(() => engine.checkRecord(record, { asOf: date }), iterations);
  log(`| ${label} | ${medicines} | ${fmt(percentile(parse, 50))} | ${fmt(percentile(check, 50))} | ${fmt(percentile(check, 99))} | ${(percentile(check, 50) / percentile(parse, 50)).toFixed(2)} |`);
}

const bundleDir = path.join(root, '..', 'shared', 'data', 'synthea-r4-bundles');
for (const file of readdirSync(bundleDir).filter((f) => f.endsWith('.json')).sort()) {
  const text = readFileSync(path.join(bundleDir, file), 'utf8');
  const current = fromFhirBundle(JSON.parse(text) as Record<string, unknown>, engine.knowledge).medications.filter((m) => m.current).length;
  row(`Synthea ${file.split('_').slice(0, 2).join(' ')} (${(text.length / 1e6).toFixed(1)} MB Bundle)`, text, current, 2000, '2020-06-30');
}

for (const file of readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.fhir.json')).sort()) {
  const text = readFileSync(path.join(root, 'examples', file), 'utf8');
  const current = fromFhirBundle(JSON.parse(text) as Record<string, unknown>, engine.knowledge).medications.filter((m) => m.current).length;
  row(`example ${file}`, text, current, 2000, asOf);
}

for (const count of [5, 10, 15, 20]) {
  const patients = Array.from({ length: 20 }, (_, i) => generated(count, i + 1));
  const texts = patients.map((p) => JSON.stringify(asBundle(p)));
  const records = texts.map((t) => fromFhirBundle(JSON.parse(t) as Record<string, unknown>, engine.knowledge));
  let i = 0;
  let j = 0;
  const parse = sample(() => fromFhirBundle(JSON.parse(texts[i++ % texts.length] ?? '{}') as Record<string, unknown>, engine.knowledge), 1000);
  const check = sample(() => {
    const record = records[j++ % records.length];
    if (record !== undefined) engine.checkRecord(record, { asOf });
  }, 1000);
  const conflicts = records.reduce((n, r) => n + engine.checkRecord(r, { asOf }).conflicts.length, 0) / records.length;
  log(`| generated, ${count} medicines (mean ${conflicts.toFixed(0)} conflicts; 20 patients) | ${count} | ${fmt(percentile(parse, 50))} | ${fmt(percentile(check, 50))} | ${fmt(percentile(check, 99))} | ${(percentile(check, 50) / percentile(parse, 50)).toFixed(2)} |`);
}
