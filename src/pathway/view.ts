import { fact, withFacts } from '../facts.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { byRecency, dayOf, isCalendarDate, type PatientRecord, type RecordObservation } from '../patient/record.js';
import type { DataQualityNote } from '../schema/generated/report.js';
import { cockcroftGault } from './creatinine-clearance.js';
import { withNotes } from '../patient/recognise.js';

/** A check date, as `YYYY-MM-DD`, and its bounds. */
export interface AsOf {
  /** The date as written. */
  readonly date: string;
  /** The end of that day (UTC), in epoch milliseconds: later data is not counted. */
  readonly end: number;
}

/** Reads a check date (`YYYY-MM-DD`, or a Date); undefined when it is not a real date. */
export function asOfDate(value: string | Date): AsOf | undefined {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null || !isCalendarDate(text)) return undefined;
  const start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return { date: text, end: start + 86_400_000 - 1 };
}

/**
 * The start of a window that reaches back `duration` (ISO 8601: years, months, weeks, days)
 * from the start of the check date, in epoch milliseconds. A month back from 31 March is the
 * last day of February, not 3 March.
 */
export function windowStart(asOf: AsOf, duration: string): number {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  const [years, months, weeks, days] = [1, 2, 3, 4].map((i) => Number(match?.[i] ?? 0));
  const [y, m, d] = asOf.date.split('-').map(Number) as [number, number, number];
  const totalMonths = y * 12 + (m - 1) - (years ?? 0) * 12 - (months ?? 0);
  const targetYear = Math.floor(totalMonths / 12);
  const targetMonth = totalMonths - targetYear * 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const base = Date.UTC(targetYear, targetMonth, Math.min(d, lastDay));
  return base - ((weeks ?? 0) * 7 + (days ?? 0)) * 86_400_000;
}

/** Window starts already worked out for the latest check date, by duration. */
const windowStarts = { date: '', byDuration: new Map<string, number>() };

/**
 * The start of a window reaching back `duration` from the view's check date. Every predicate
 * with a window asks, and checks mostly share their date (today), so the starts are kept for the
 * latest date met and worked out again only when the date changes.
 */
export function viewWindowStart(view: PatientView, duration: string): number {
  if (windowStarts.date !== view.asOf.date) {
    windowStarts.date = view.asOf.date;
    windowStarts.byDuration = new Map();
  }
  let start = windowStarts.byDuration.get(duration);
  if (start === undefined) windowStarts.byDuration.set(duration, (start = windowStart(view.asOf, duration)));
  return start;
}

/** Durations already put in words (pathways name a few, and reports and messages ask again and again). */
const durationTexts = new Map<string, string>();

/** Human words for an ISO 8601 duration: `P12M` → `12 months`. */
export function durationText(duration: string): string {
  let text = durationTexts.get(duration);
  if (text === undefined) durationTexts.set(duration, (text = durationWords(duration)));
  return text;
}

function durationWords(duration: string): string {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  const parts: string[] = [];
  const units = ['year', 'month', 'week', 'day'];
  units.forEach((unit, i) => {
    const n = Number(match?.[i + 1] ?? 0);
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  });
  return parts.join(' ') || duration;
}

/**
 * One patient seen from one check date: indexes built once per check so that every
 * predicate is a lookup. Built from a PatientRecord; never changes it.
 */
export interface PatientView {
  /** The record. */
  readonly record: PatientRecord;
  /** The check date. */
  readonly asOf: AsOf;
  /** The knowledge base. */
  readonly knowledge: KnowledgeBase;
  /** Condition concepts recorded as present. */
  readonly present: ReadonlySet<string>;
  /** Condition concepts recorded as refuted (known absent), or excluded by a recorded state that rules them out. */
  readonly refuted: ReadonlySet<string>;
  /** Condition concepts recorded only as provisional, differential or unconfirmed diagnoses (and nowhere as present). */
  readonly uncertain: ReadonlySet<string>;
  /** Ingredients of current medications. */
  readonly currentIngredients: ReadonlySet<string>;
  /** Ingredients the patient is recorded as allergic or intolerant to. */
  readonly allergens: ReadonlySet<string>;
  /** Observations by concept, newest first, up to the check date. */
  readonly observations: ReadonlyMap<string, readonly RecordObservation[]>;
  /** Event times by concept, up to the check date. */
  readonly events: ReadonlyMap<string, readonly number[]>;
  /** The age in whole years on the check date as a range (a birth year alone leaves a year's doubt); undefined without a birth date. */
  readonly age?: readonly [number, number];
  /** What the view worked out from the record for this check date (a calculated creatinine clearance), for the report's data-quality notes. */
  readonly notes: readonly DataQualityNote[];
}

/** No notes (shared, never changed). */
const NO_NOTES: readonly DataQualityNote[] = Object.freeze([]);

/** The condition concepts that other recorded states exclude (smoking status), with those states; once per knowledge base. */
const exclusiveStates = fact((knowledge: KnowledgeBase): readonly (readonly [string, readonly string[]])[] =>
  [...knowledge.conditions].flatMap(([id, concept]) => (concept.excludedBy === undefined || concept.excludedBy.length === 0 ? [] : [[id, concept.excludedBy] as const])),
);

/**
 * The record as it stood on the check date. A medicine started or prescribed after that date,
 * or last taken before it, does not count as current, and a note says so; a condition that
 * had begun by then and ended only later counts as present. A check as of a past date (a
 * cohort study's census date) so sees what was true then. The record itself when its dates
 * change nothing.
 */
export function recordOn(record: PatientRecord, asOf: AsOf): PatientRecord {
  const dayStart = asOf.end - 86_400_000 + 1;
  const notCurrent = (m: PatientRecord['medications'][number]): DataQualityNote | undefined => {
    if (!m.current) return undefined;
    if (m.start !== undefined && m.start > asOf.end) {
      return { code: 'medication-after-check-date', location: m.location, text: m.text, message: `started or prescribed on ${dayOf(m.start)}, after the check date; not counted as current` };
    }
    if (m.end !== undefined && m.end < dayStart) {
      return { code: 'medication-ended-before-check-date', location: m.location, text: m.text, message: `ended on ${dayOf(m.end)}, before the check date; not counted as current` };
    }
    return undefined;
  };
  const stillThen = (c: PatientRecord['conditions'][number]): boolean =>
    c.state === 'past' && c.abated !== undefined && c.abated > asOf.end && c.onset !== undefined && c.onset <= asOf.end;
  const medicationsChange = record.medications.some((m) => notCurrent(m) !== undefined);
  const conditionsChange = record.conditions.some(stillThen);
  const died = deceasedNote(record, asOf);
  if (!medicationsChange && !conditionsChange && died === undefined) return record;
  const notes: DataQualityNote[] = died === undefined ? [] : [died];
  const medications = !medicationsChange ? record.medications : record.medications.map((m) => {
    const note = notCurrent(m);
    if (note === undefined) return m;
    notes.push(note);
    return { ...m, current: false };
  });
  const conditions = !conditionsChange ? record.conditions : record.conditions.map((c) => (stillThen(c) ? { ...c, state: 'present' as const } : c));
  return { ...record, medications, conditions, dataQuality: notes.length === 0 ? record.dataQuality : withNotes(record.dataQuality, notes) };
}

/**
 * A note that the record says the patient had died by the check date (or died, with no date):
 * the check then shows what the record holds, not care still to be given. None when the patient
 * died after the check date, as a check as of an earlier census date sees them alive.
 */
function deceasedNote(record: PatientRecord, asOf: AsOf): DataQualityNote | undefined {
  const { deceased } = record;
  if (deceased === undefined || (deceased.time !== undefined && deceased.time > asOf.end)) return undefined;
  const when = deceased.time === undefined ? '' : ` on ${dayOf(deceased.time)}`;
  return { code: 'patient-deceased', location: deceased.location, message: `the patient is recorded as having died${when}; the check shows what the record holds, not care still to be given` };
}

/** Builds the view of a record on a check date. */
export function viewOf(record: PatientRecord, asOf: AsOf, knowledge: KnowledgeBase): PatientView {
  const present = new Set<string>();
  const refuted = new Set<string>();
  const uncertain = new Set<string>();
  const latestOnset = new Map<string, number>();
  for (const condition of record.conditions) {
    if (condition.onset !== undefined && condition.onset > asOf.end) continue;
    for (const concept of condition.concepts) {
      if (condition.state === 'present') {
        present.add(concept);
        latestOnset.set(concept, Math.max(latestOnset.get(concept) ?? Number.NEGATIVE_INFINITY, condition.onset ?? Number.NEGATIVE_INFINITY));
      } else if (condition.state === 'refuted') refuted.add(concept);
      else if (condition.state === 'uncertain') uncertain.add(concept);
    }
  }
  // Recorded as present settles it; a diagnosis still under consideration outweighs one ruling it out.
  for (const concept of present) {
    refuted.delete(concept);
    uncertain.delete(concept);
  }
  for (const concept of uncertain) refuted.delete(concept);
  // Mutually exclusive states (smoking status): the most recently recorded one holds.
  for (const [id, excludedBy] of exclusiveStates(knowledge)) {
    const excluders = excludedBy.filter((other) => present.has(other));
    if (excluders.length === 0) continue;
    const mine = latestOnset.get(id);
    if (mine === undefined || excluders.some((other) => (latestOnset.get(other) ?? Number.NEGATIVE_INFINITY) > mine)) {
      present.delete(id);
      refuted.add(id);
    }
  }
  const currentIngredients = new Set<string>();
  for (const medication of record.medications) {
    if (medication.current) for (const ingredient of medication.ingredients) currentIngredients.add(ingredient.id);
  }
  const allergens = new Set<string>();
  for (const allergy of record.allergies) for (const id of allergy.ingredients) allergens.add(id);
  const observations = new Map<string, RecordObservation[]>();
  for (const observation of record.observations) {
    if (observation.time > asOf.end) continue;
    const list = observations.get(observation.concept) ?? [];
    list.push(observation);
    observations.set(observation.concept, list);
  }
  // Adapters keep a record's observations newest first, so each list is in order already; a record made elsewhere is sorted here.
  for (const list of observations.values()) if (!list.every((o, i) => i === 0 || byRecency(list[i - 1] as RecordObservation, o) <= 0)) list.sort(byRecency);
  const clearance = cockcroftGault(record, observations, windowStart(asOf, 'P12M'), (time) => ageOn(record, time), knowledge);
  if (clearance !== undefined) {
    const list = observations.get(clearance.observation.concept) ?? [];
    list.push(clearance.observation);
    observations.set(clearance.observation.concept, list.sort(byRecency));
  }
  const events = new Map<string, number[]>();
  for (const event of record.events) {
    if (event.time > asOf.end) continue;
    const list = events.get(event.concept) ?? [];
    list.push(event.time);
    events.set(event.concept, list);
  }
  const age = record.birthDate === undefined ? undefined : ageRange(record.birthDate, asOf);
  const view: { -readonly [K in keyof PatientView]: PatientView[K] } = { record, asOf, knowledge, present, refuted, uncertain, currentIngredients, allergens, observations, events, notes: clearance === undefined ? NO_NOTES : [clearance.note] };
  if (age !== undefined) view.age = age;
  return withFacts(view);
}

/** The age range on the day of a dated result; undefined without a birth date. */
function ageOn(record: PatientRecord, time: number): readonly [number, number] | undefined {
  const date = asOfDate(new Date(time));
  return record.birthDate === undefined || date === undefined ? undefined : ageRange(record.birthDate, date);
}

function ageRange(birthDate: string, asOf: AsOf): readonly [number, number] | undefined {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = asOf.date.split('-').map(Number) as [number, number, number];
  if (by === undefined || Number.isNaN(by)) return undefined;
  const exact = (month: number, day: number): number => y - by - (m < month || (m === month && d < day) ? 1 : 0);
  if (bm === undefined) return [exact(12, 31), exact(1, 1)].sort((a, b) => a - b) as [number, number];
  if (bd === undefined) {
    const lastDay = new Date(Date.UTC(by, bm, 0)).getUTCDate();
    return [exact(bm, lastDay), exact(bm, 1)].sort((a, b) => a - b) as [number, number];
  }
  const age = exact(bm, bd);
  return [age, age];
}
