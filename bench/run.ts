/**
 * carepath benchmark: the cost of `check` per patient (p50, p99) on the bundled examples, on the
 * Synthea sample bundles and on generated patients with 5 to 20 medicines, beside the cost of
 * parsing each patient's FHIR Bundle in the same run, and the memory a check allocates. Checks
 * are timed in two settings: one check per event-loop task, as a service (an HTTP or CDS Hooks
 * endpoint) runs them, and back to back in one task, as a batch job does. They differ in
 * where young-generation collections land: V8 schedules one as a task of its own when the young
 * generation is nearly full, so between a service's checks; back to back, it lands inside
 * whichever check fills the young generation. The share of checks a collection fell in (from
 * Node's `gc` performance entries) is given for each setting. A second table sets each row's
 * report beside its input: their sizes as JSON, and the time to write the report as JSON and to
 * read it back, a yardstick for the cost of building a report that size. It measures the built
 * package, as users run it, and runs as built JavaScript itself: under tsx's loader every
 * young-generation collection paused about twice as long. Run with `npm run bench` (which builds
 * both first); results go to BENCHMARKS.md by hand, with the machine.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { asOfDate, createEngine, fromFhirBundle, recordOn, type Patient } from 'carepath';

/** The repository root: the nearest directory above this file with a package.json (it runs from `dist/bench/` once built). */
function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

const root = repositoryRoot();
const engine = createEngine();
const asOf = '2026-11-24';

function nanoseconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start);
}

/** A full garbage collection, when Node exposes it (`--expose-gc`): after the warm-up, so the measurements do not pay for its garbage. */
const collect = (globalThis as { gc?: () => void }).gc ?? ((): void => undefined);

/**
 * How long every benchmarked patient is checked in turn before anything is measured. A service
 * checks many different patients all day, so its code has met every shape of plan and finding
 * and the JIT has settled; checking one patient for a second leaves the JIT still
 * re-optimising what it meets for the first time (a second of warm-up measured the p99 of the
 * COPD/IHD/AF/depression example at 5.6 ms, ten seconds at 1.8 ms).
 */
const SERVICE_WARM_UP_MS = 10_000;

/**
 * Samples are taken in rounds, every row in turn in each round, so that a slow spell of this
 * shared machine (it stalls a loop that allocates nothing for up to 9-16 ms) falls on every row
 * alike instead of on whichever row happened to be measured then.
 */
const ROUNDS = 10;

/** How many times a row's report is written as JSON, and read back, in each round. */
const REPORT_SAMPLES = 50;

/** How long a row's check runs before its samples in each round, to bring its code and data back into cache. */
const ROW_WARM_UP_MS = 100;

/** Timed samples: how long each took (ms) and when each began on the performance timeline. */
interface Samples {
  readonly times: number[];
  readonly starts: number[];
}

/** No samples yet. */
const samples = (): Samples => ({ times: [], starts: [] });

/**
 * Times `run` `count` times after a short warm-up, appending each time in milliseconds to
 * `into.times` and when each began on the performance timeline to `into.starts` (to tell the
 * samples that a garbage collection fell in). With `perTask`, each run is a task of its own: the
 * event loop turns between runs, as it does between a service's requests.
 */
async function sampleInto(into: Samples, run: () => void, count: number, warmUpMs: number, perTask = false): Promise<void> {
  const warm = performance.now() + warmUpMs;
  while (performance.now() < warm) run();
  for (let i = 0; i < count; i++) {
    if (perTask) await new Promise((resolve) => setImmediate(resolve));
    into.starts.push(performance.now());
    into.times.push(nanoseconds(run) / 1e6);
  }
}

/** The garbage collections of the sampling rounds, as [start, end] on the performance timeline. */
const collections: [number, number][] = [];

/** Whether a collection fell within a sample that began at `start` and took `ms`; `collections` is in order of start. */
function metCollection(start: number, ms: number): boolean {
  let low = 0;
  let high = collections.length;
  // The first collection that ends at or after the sample's start.
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((collections[mid] as [number, number])[1] < start) low = mid + 1;
    else high = mid;
  }
  const next = collections[low];
  return next !== undefined && next[0] <= start + ms;
}

/** How many checks the allocation is measured over: few enough that their garbage fits in the young generation. */
const ALLOCATION_CHECKS = 8;

/** How many uninterrupted measurements of allocation are taken; the least is reported. */
const ALLOCATION_TRIES = 5;

/**
 * The bytes one check allocates, on average over the given checks: the heap's growth from just
 * after a full collection to the end of the checks, kept only when no collection fell among them.
 * The least of a few such measurements is reported: what else grows the heap meanwhile (the JIT
 * compiling code, for one) only adds. It does not move with the machine, as a time does.
 */
async function allocatedPerCheck(checks: readonly (() => void)[]): Promise<number> {
  let least = Number.NaN;
  const collections: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    for (let attempt = 0, clean = 0; attempt < 2 * ALLOCATION_TRIES && clean < ALLOCATION_TRIES; attempt++) {
      collect();
      await new Promise((resolve) => setImmediate(resolve));
      const start = performance.now();
      const before = process.memoryUsage().heapUsed;
      for (const check of checks) check();
      const grown = process.memoryUsage().heapUsed - before;
      const end = performance.now();
      await new Promise((resolve) => setImmediate(resolve));
      if (collections.some((at) => at >= start && at <= end)) continue;
      clean++;
      least = Number.isNaN(least) ? grown / checks.length : Math.min(least, grown / checks.length);
    }
    return least;
  } finally {
    observer.disconnect();
  }
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
  // The generator's low bits repeat in short cycles, so some seeds never reach some counts: stop with an error rather than spin.
  for (let draws = 0; chosen.size < count; draws++) {
    if (draws === 10_000) throw new Error(`bench: seed ${seed} draws fewer than ${count} distinct medicines; choose another seed`);
    chosen.add(pool[next() % pool.length] ?? 'paracetamol');
  }
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

console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`);
console.log(`pathways: ${engine.pathways.length}, ingredients: ${engine.knowledge.ingredients.size}, drug-drug rules: ${engine.knowledge.drugInteractions.length}, drug-condition rules: ${engine.knowledge.conditionInteractions.length}`);
console.log('');
console.log('| input | medicines | parse p50 | check p50, one per task (back to back) | check p99, one per task (checks a GC fell in) | check p99, back to back (checks a GC fell in) | check/parse (p50) | allocated per check |');
console.log('|---|---|---|---|---|---|---|---|');

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

/** One row of the table: patients given as FHIR Bundle texts, checked as of a date. */
interface Row {
  readonly label: string;
  readonly medicines: number;
  readonly texts: readonly string[];
  readonly records: readonly ReturnType<typeof fromFhirBundle>[];
  readonly date: string;
  readonly iterations: number;
}

const read = (text: string): ReturnType<typeof fromFhirBundle> => fromFhirBundle(JSON.parse(text) as Record<string, unknown>, engine.knowledge);

function rowOf(label: string, texts: readonly string[], date: string, iterations: number, medicines?: number): Row {
  const records = texts.map(read);
  const asOf = asOfDate(date);
  const first = records[0];
  if (asOf === undefined || first === undefined) throw new Error(`${label}: no record, or a check date that is not one (${date})`);
  // Current on the check date, as the engine sees the record then.
  const current = recordOn(first, asOf).medications.filter((m) => m.current).length;
  return { label, medicines: medicines ?? current, texts, records, date, iterations };
}

const rows: Row[] = [];
const bundleDir = path.join(root, '..', 'shared', 'data', 'synthea-r4-bundles');
for (const file of readdirSync(bundleDir).filter((f) => f.endsWith('.json')).sort()) {
  const text = readFileSync(path.join(bundleDir, file), 'utf8');
  rows.push(rowOf(`Synthea ${file.split('_').slice(0, 2).join(' ')} (${(text.length / 1e6).toFixed(1)} MB Bundle)`, [text], '2020-06-30', 2000));
}
for (const file of readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.fhir.json')).sort()) {
  rows.push(rowOf(`example ${file}`, [readFileSync(path.join(root, 'examples', file), 'utf8')], asOf, 2000));
}
for (const count of [5, 10, 15, 20]) {
  const texts = Array.from({ length: 20 }, (_, i) => JSON.stringify(asBundle(generated(count, i + 1))));
  const row = rowOf(`generated, ${count} medicines`, texts, asOf, 2000, count);
  const conflicts = row.records.reduce((n, r) => n + engine.checkRecord(r, { asOf }).conflicts.length, 0) / row.records.length;
  rows.push({ ...row, label: `generated, ${count} medicines (mean ${conflicts.toFixed(0)} conflicts; 20 patients)` });
}

/**
 * Each row's reports and their JSON, for timing how long writing a report as JSON takes (what a
 * service pays to send it) and reading it back (`JSON.parse`, V8's quickest way to build objects
 * from text: a yardstick for what building a report of that size costs).
 */
const reports = rows.map(({ records, date }) => records.map((record) => engine.checkRecord(record, { asOf: date })));
const reportTexts = reports.map((list) => list.map((report) => JSON.stringify(report)));

// Every patient in turn first, as a service meets them.
const serviceWarm = performance.now() + SERVICE_WARM_UP_MS;
while (performance.now() < serviceWarm) for (const { records, date } of rows) for (const record of records) engine.checkRecord(record, { asOf: date });
collect();

/**
 * Each row's times: parsing its Bundle texts (JSON.parse and the FHIR adapter), and checking the
 * records they give, in turn, one per task and back to back.
 */
const times = rows.map(() => ({ parse: samples(), perTask: samples(), backToBack: samples(), write: samples(), readBack: samples() }));
const collectionObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push([entry.startTime, entry.startTime + entry.duration]);
});
collectionObserver.observe({ entryTypes: ['gc'] });
for (let round = 0; round < ROUNDS; round++) {
  for (const [r, { records, date, iterations }] of rows.entries()) {
    const into = times[r];
    if (into === undefined) continue;
    let j = round;
    const check = (): void => {
      const record = records[j++ % records.length];
      if (record !== undefined) engine.checkRecord(record, { asOf: date });
    };
    await sampleInto(into.perTask, check, iterations / ROUNDS, ROW_WARM_UP_MS, true);
    await sampleInto(into.backToBack, check, iterations / ROUNDS, 0);
    // The report's JSON right after its checks, so that a slow spell of the machine falls on both alike.
    const written = reports[r] ?? [];
    const texts = reportTexts[r] ?? [];
    let w = round;
    let b = round;
    await sampleInto(into.write, () => JSON.stringify(written[w++ % written.length]), REPORT_SAMPLES, 0);
    await sampleInto(into.readBack, () => JSON.parse(texts[b++ % texts.length] ?? '{}') as unknown, REPORT_SAMPLES, 0);
  }
}
// Parsing is timed after the checks, in rounds of its own: a Synthea Bundle's tree lives through
// the young-generation collections its parse meets and is promoted, and marking that garbage in
// the old generation slowed the checks measured after it.
for (let round = 0; round < ROUNDS; round++) {
  for (const [r, { texts }] of rows.entries()) {
    let i = round;
    const into = times[r];
    if (into !== undefined) await sampleInto(into.parse, () => read(texts[i++ % texts.length] ?? '{}'), texts.length > 1 ? 100 : 10, 0);
  }
}
// The observer is told of the rounds' collections once the event loop has turned (twice: the entries, then the observer).
for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
collectionObserver.disconnect();
collections.sort((a, b) => a[0] - b[0]);

/** The times of some samples, in order. */
function sortedTimes({ times }: Samples): number[] {
  return [...times].sort((a, b) => a - b);
}

/** The share of some samples (%) that a garbage collection fell in. */
function collectionShare({ times, starts }: Samples): number {
  let met = 0;
  for (let k = 0; k < times.length; k++) if (metCollection(starts[k] ?? 0, times[k] ?? 0)) met++;
  return (100 * met) / Math.max(1, times.length);
}

for (const [r, { label, medicines, records, date }] of rows.entries()) {
  const measured = times[r];
  if (measured === undefined) continue;
  const parse = sortedTimes(measured.parse);
  const perTask = sortedTimes(measured.perTask);
  const backToBack = sortedTimes(measured.backToBack);
  const checks = Array.from({ length: ALLOCATION_CHECKS }, (_, i) => (): void => {
    const record = records[i % records.length];
    if (record !== undefined) engine.checkRecord(record, { asOf: date });
  });
  const allocated = await allocatedPerCheck(checks);
  const p50 = percentile(perTask, 50);
  console.log(`| ${label} | ${medicines} | ${fmt(percentile(parse, 50))} | ${fmt(p50)} (${fmt(percentile(backToBack, 50))}) | ${fmt(percentile(perTask, 99))} (${collectionShare(measured.perTask).toFixed(1)} %) | ${fmt(percentile(backToBack, 99))} (${collectionShare(measured.backToBack).toFixed(1)} %) | ${(p50 / percentile(parse, 50)).toFixed(2)} | ${Number.isNaN(allocated) ? 'not measured' : `${Math.round(allocated / 1024)} KB`} |`);
}

/** The mean length of some texts in kilobytes of 1000 characters (the texts are ASCII but for a few names). */
function meanKb(texts: readonly string[]): string {
  const kb = texts.reduce((sum, text) => sum + text.length, 0) / Math.max(1, texts.length) / 1000;
  return kb < 10 ? kb.toFixed(1) : kb.toFixed(0);
}

console.log('');
console.log('| input | Bundle (JSON) | report (JSON) | parse p50 | check p50, one per task | write the report (`JSON.stringify`) p50 | read the report back (`JSON.parse`) p50 | check / read back |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [r, { label, texts }] of rows.entries()) {
  const measured = times[r];
  if (measured === undefined) continue;
  const check = percentile(sortedTimes(measured.perTask), 50);
  const readBack = percentile(sortedTimes(measured.readBack), 50);
  console.log(`| ${label} | ${meanKb(texts)} KB | ${meanKb(reportTexts[r] ?? [])} KB | ${fmt(percentile(sortedTimes(measured.parse), 50))} | ${fmt(check)} | ${fmt(percentile(sortedTimes(measured.write), 50))} | ${fmt(readBack)} | ${(check / readBack).toFixed(2)} |`);
}
