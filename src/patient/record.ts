import type { DataQualityNote } from '../schema/generated/report.js';

/** A medication as carepath understood it. */
export interface RecordMedication {
  /** A JSON pointer to the item in the input. */
  readonly location: string;
  /** The medication as written (its text, or its code's display). */
  readonly text: string;
  /** Recognised ingredients with what is known of their dose; empty when not recognised. */
  readonly ingredients: readonly RecordIngredient[];
  /** The status as given. */
  readonly status: MedicationStatus;
  /** Whether it counts as current: active, on-hold or unknown status. */
  readonly current: boolean;
  /** Administrations a day, when known. */
  readonly perDay?: number;
  /** True when it is taken only when needed (PRN): not a regular medicine. */
  readonly asNeeded?: true;
  /** True when it is a short (acute) course, not expected to be renewed: not a regular medicine either. */
  readonly acute?: true;
  /** The dose as written, when given. */
  readonly doseText?: string;
  /** When it was started or prescribed, as epoch milliseconds (the start of a partial date), when known. */
  readonly start?: number;
  /** When it was last taken, as epoch milliseconds (the start of that day; the last day of a month or year given alone), when the input says it ended. */
  readonly end?: number;
}

/** An ingredient of a medication, with its strength and daily dose where known. */
export interface RecordIngredient {
  /** The ingredient id. */
  readonly id: string;
  /** Milligrams per unit, when the text states it. */
  readonly strengthMg?: number;
  /** Milligrams a day, when the dose and frequency are known. */
  readonly dailyMg?: number;
}

/** The medication statuses carepath distinguishes. */
export type MedicationStatus = 'active' | 'on-hold' | 'stopped' | 'completed' | 'cancelled' | 'entered-in-error' | 'draft' | 'unknown';

/** A condition or finding as carepath understood it. */
export interface RecordCondition {
  /** A JSON pointer to the item in the input. */
  readonly location: string;
  /** The condition as written. */
  readonly text: string;
  /** The carepath concepts its codes map to; empty when none. */
  readonly concepts: readonly string[];
  /**
   * `present` (active, recurrence, relapse), `uncertain` (active, but only a provisional,
   * differential or unconfirmed diagnosis: whether the patient has it is unknown), `refuted`
   * (known absent) or `past` (resolved, inactive, remission, entered in error).
   */
  readonly state: 'present' | 'uncertain' | 'refuted' | 'past';
  /** Onset, as epoch milliseconds, when known. */
  readonly onset?: number;
  /** For a condition that has ended (`past`, not entered in error): when it ended, as epoch milliseconds (the latest a month or year given alone may mean), when known. */
  readonly abated?: number;
}

/** A measurement, converted to its concept's canonical unit. */
export interface RecordObservation {
  /** A JSON pointer to the item in the input. */
  readonly location: string;
  /** The observation concept id. */
  readonly concept: string;
  /** The value in the concept's canonical unit. */
  readonly value: number;
  /** When the value is only a bound (a laboratory's "<5" or ">90"): the true value is on this side of it. */
  readonly comparator?: ObservationComparator;
  /** When it was measured, as epoch milliseconds. */
  readonly time: number;
}

/** How a bounded result relates to its value, as FHIR's Quantity.comparator spells it. */
export type ObservationComparator = '<' | '<=' | '>' | '>=';

/** A drug allergy or intolerance as carepath understood it. */
export interface RecordAllergy {
  /** A JSON pointer to the item in the input. */
  readonly location: string;
  /** The substance as written (its text, or its code's display). */
  readonly text: string;
  /** The ingredients it rules out: one, or every member of a class named as a whole. */
  readonly ingredients: readonly string[];
}

/** A dated event. */
export interface RecordEvent {
  /** A JSON pointer to the item in the input. */
  readonly location: string;
  /** The event concept id. */
  readonly concept: string;
  /** When it happened, as epoch milliseconds. */
  readonly time: number;
}

/**
 * carepath's own view of one patient, whatever format it came in: every item recognised
 * against the knowledge base, or accounted for by a data-quality note.
 */
export interface PatientRecord {
  /** The patient's id in the input. */
  readonly id: string;
  /** Birth date as written (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), when known. */
  readonly birthDate?: string;
  /** Sex, when recorded. */
  readonly sex?: 'female' | 'male' | 'other' | 'unknown';
  /** Conditions and findings. */
  readonly conditions: readonly RecordCondition[];
  /** Medications, current and past. */
  readonly medications: readonly RecordMedication[];
  /** Measurements that carepath recognised, newest first (`byRecency`). */
  readonly observations: readonly RecordObservation[];
  /** Events that carepath recognised. */
  readonly events: readonly RecordEvent[];
  /** Drug allergies and intolerances that carepath recognised (active, not refuted). */
  readonly allergies: readonly RecordAllergy[];
  /** When the record says the patient has died: where it says so, and when, as epoch milliseconds, if it gives a date. */
  readonly deceased?: { readonly location: string; readonly time?: number };
  /** What in the input was not understood or was used with a caveat, in canonical order (code, location, text, message). */
  readonly dataQuality: readonly DataQualityNote[];
}

/** Whether a medication with this status counts as current. */
export function isCurrentStatus(status: MedicationStatus): boolean {
  return status === 'active' || status === 'on-hold' || status === 'unknown';
}

/** Whether a text is a date of the calendar as FHIR writes one: a year, a year and month, or a full date ("1942", "1942-03", "1942-03-08"; not "1942-13-45"). */
export function isCalendarDate(text: string): boolean {
  const parts = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (parts === null) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2] ?? '1'), Number(parts[3] ?? '1')];
  // setUTCFullYear, not Date.UTC, which reads years 0 to 99 as 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses a date or date-time string to epoch milliseconds (UTC for plain dates), or undefined. */
export function toTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const plain = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
  if (plain !== null) return Date.UTC(Number(plain[1]), Number(plain[2] ?? '1') - 1, Number(plain[3] ?? '1'));
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The latest time a date may mean, as epoch milliseconds: the last moment of a year or month
 * given alone ("2020-12" ended by 31 December), the start of a full date's day, a date-time
 * itself. Used for when something ended, so that a vague end never cuts a period short.
 */
export function toLatestTime(value: string | undefined): number | undefined {
  const partial = value === undefined ? null : /^(\d{4})(?:-(\d{2}))?$/.exec(value);
  if (partial === null) return toTime(value);
  const year = Number(partial[1]);
  return partial[2] === undefined ? Date.UTC(year + 1, 0, 1) - 1 : Date.UTC(year, Number(partial[2]), 1) - 1;
}

/** The day (UTC, `YYYY-MM-DD`) of an epoch-milliseconds time, as reports name dates. */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The order a record keeps its observations in: newest first, then the lower value first, then by bound (so the order of the input never matters). */
export function byRecency(a: RecordObservation, b: RecordObservation): number {
  const [x, y] = [a.comparator ?? '', b.comparator ?? ''];
  return b.time - a.time || a.value - b.value || (x < y ? -1 : x > y ? 1 : 0);
}

/** The smallest step below or above a bound's value, so that a strict bound ("<30") excludes the value itself. */
function beyond(value: number): number {
  return Math.max(Math.abs(value), 1) * 1e-9;
}

/** The range an observation's true value lies in: the value itself, or everything on one side of a bound. */
export function valueRange(o: RecordObservation): readonly [number, number] {
  switch (o.comparator) {
    case undefined:
      return [o.value, o.value];
    case '<':
      return [Number.NEGATIVE_INFINITY, o.value - beyond(o.value)];
    case '<=':
      return [Number.NEGATIVE_INFINITY, o.value];
    case '>':
      return [o.value + beyond(o.value), Number.POSITIVE_INFINITY];
    case '>=':
      return [o.value, Number.POSITIVE_INFINITY];
  }
}
