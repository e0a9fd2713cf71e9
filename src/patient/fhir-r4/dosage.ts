import { milligramsFrom } from '../../knowledge/matcher.js';
import { dayOf, toTime } from '../record.js';
import { array, number, object, string } from './read.js';

/**
 * The dose of a medicine as its FHIR Dosage list gives it: the amount a day (in milligrams, or in
 * units of the product such as tablets, which the product's strength turns into milligrams),
 * administrations a day, and the instructions in words. When the dosages hold a dose carepath
 * cannot turn into an amount a day, `unknownBecause` says why, for a data-quality note: a wrong
 * amount would raise or hide a dose-limit conflict, so carepath leaves it unknown instead.
 */
export interface DoseRead {
  /** Milligrams a day, when the dosages give their dose by mass. */
  readonly mgPerDay?: number;
  /** Units of the product a day (tablets, capsules, puffs), when the dosages count them. */
  readonly unitsPerDay?: number;
  /** Administrations a day. */
  readonly perDay?: number;
  /** True when every dosage is taken only when needed (PRN). */
  readonly asNeeded?: true;
  /** The instructions in words, each dosage's in turn. */
  readonly doseText?: string;
  /** For a course of fixed length (every dosage bounded, "for 10 days" or up to a date): its last day. */
  readonly courseEnd?: string;
  /** Why the dosages' structured dose could not be used, when it could not. */
  readonly unknownBecause?: string;
}

/** Days in a UCUM unit of time that FHIR Timing uses. */
const periodDays: Readonly<Record<string, number>> = { s: 1 / 86400, min: 1 / 1440, h: 1 / 24, d: 1, wk: 7, mo: 30.4375, a: 365.25 };

/** Days in a Duration's unit: its UCUM code, or its unit as written. */
const durationDays: Readonly<Record<string, number>> = { ...periodDays, day: 1, days: 1, week: 7, weeks: 7, month: 30.4375, months: 30.4375, year: 365.25, years: 365.25 };

/** The days a FHIR Duration lasts, or undefined when it gives no positive length in a unit of time. */
export function durationInDays(duration: unknown): number | undefined {
  const d = object(duration);
  const value = number(d?.['value']);
  const days = durationDays[(string(d?.['code']) ?? string(d?.['unit']) ?? '').toLowerCase()];
  return value === undefined || days === undefined || value <= 0 ? undefined : finite(value * days);
}

/** The days of a course a dosage's timing bounds by a duration ("for 10 days"), or undefined when it sets none. */
function boundDays(timing: Record<string, unknown> | undefined): number | undefined {
  return durationInDays(object(timing?.['repeat'])?.['boundsDuration']);
}

/**
 * Administrations a day of the FHIR timing abbreviations (FHIR R4 value set
 * timing-abbreviation, codes of v3-GTSAbbreviation), for a timing given only by its code.
 */
const perDayOfCode: Readonly<Record<string, number>> = {
  QD: 1,
  AM: 1,
  PM: 1,
  BED: 1,
  BID: 2,
  TID: 3,
  QID: 4,
  QOD: 0.5,
  Q1H: 24,
  Q2H: 12,
  Q3H: 8,
  Q4H: 6,
  Q6H: 4,
  Q8H: 3,
  WK: 1 / 7,
};

/** The code systems of the timing abbreviations (a coding without a system is read as one). */
const abbreviationSystems = new Set([undefined, 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation', 'http://terminology.hl7.org/CodeSystem/timing-abbreviation', 'http://hl7.org/fhir/v3/GTSAbbreviation']);

/**
 * Administrations a day from a FHIR Timing: its frequency per period; without a frequency, one
 * a day at each time of day or daily event it names ("08:00" and "20:00", or MORN and NIGHT);
 * with neither, its abbreviation code (BID). Rounded to thousandths.
 */
function perDayOf(timing: Record<string, unknown> | undefined): number | undefined {
  const repeat = object(timing?.['repeat']);
  const frequency = number(repeat?.['frequency']);
  const period = number(repeat?.['period']);
  const days = periodDays[string(repeat?.['periodUnit']) ?? ''];
  if (frequency !== undefined) return frequency > 0 && period !== undefined && period > 0 && days !== undefined ? finite(Math.round((frequency / (period * days)) * 1000) / 1000) : undefined;
  const times = array(repeat?.['timeOfDay']).length || array(repeat?.['when']).length;
  if (times > 0) return period === undefined || (period === 1 && days === 1) ? times : undefined;
  const codes = array(object(timing?.['code'])?.['coding']).map(object).filter((c) => abbreviationSystems.has(string(c?.['system']))).map((c) => string(c?.['code']));
  const known = codes.find((code) => code !== undefined && perDayOfCode[code] !== undefined);
  return known === undefined ? undefined : Math.round((perDayOfCode[known] as number) * 1000) / 1000;
}

/**
 * Units that count doses of the product, so that the product's strength gives the milligrams:
 * "2 tablets" of a 5 mg tablet is 10 mg. A volume ("10 ml" of an oral solution) is not among
 * them: carepath does not know the concentration, so its milligrams stay unknown.
 */
const countingUnits = new Set(['', '1', 'tablet', 'tablets', '{tablet}', '{tbl}', 'capsule', 'capsules', '{capsule}', 'dose', 'doses', '{dose}', 'puff', 'puffs', '{puff}', 'actuation', 'actuations', '{actuation}', 'sachet', 'sachets', 'patch', 'patches', 'suppository', 'suppositories', 'pessary', 'pessaries', 'lozenge', 'lozenges']);

/** One dosage's dose per administration and administrations a day, as far as it gives them. */
interface OneDosage {
  readonly mg?: number;
  readonly units?: number;
  readonly perDay?: number;
  readonly text?: string;
  /** Why its dose cannot be used, when it gives one: a unit that is neither a mass nor a count of the product, or a range. */
  readonly unusable?: string;
  /** Whether it is taken only when needed (`asNeededBoolean`, or the condition in `asNeededCodeableConcept`). */
  readonly asNeeded: boolean;
  /** How many days its course lasts, when its timing bounds it by a duration. */
  readonly courseDays?: number;
  /** The last day of its course, when its timing bounds it by a period with an end. */
  readonly courseEnd?: string;
}

function oneDosage(raw: unknown): OneDosage {
  const d = object(raw);
  if (d === undefined) return { asNeeded: false };
  const doseAndRate = object(array(d['doseAndRate'])[0]);
  const quantity = object(doseAndRate?.['doseQuantity']);
  const value = number(quantity?.['value']);
  const range = object(doseAndRate?.['doseRange']);
  const ucum = string(quantity?.['system']) === 'http://unitsofmeasure.org' ? string(quantity?.['code']) : undefined;
  const written = string(quantity?.['unit']);
  const unit = (ucum ?? written ?? string(quantity?.['code']) ?? '').trim().toLowerCase();
  const timing = object(d['timing']);
  const perDay = perDayOf(timing);
  const courseDays = boundDays(timing);
  const courseEnd = string(object(object(timing?.['repeat'])?.['boundsPeriod'])?.['end']);
  const text = string(d['text']);
  const mg = value === undefined ? undefined : milligramsFrom(value, unit);
  const dose =
    value === undefined ? (range === undefined ? {} : { unusable: `a dose range (${rangeText(range)}) has no single dose a day` })
    : value <= 0 ? { unusable: `a dose of ${value} ${written ?? unit} is not an amount that can be taken` }
    : mg !== undefined ? { mg }
    : countingUnits.has(unit) ? { units: value }
    : { unusable: `a dose of ${value} ${written ?? unit} cannot be turned into milligrams without the product's concentration` };
  const asNeeded = d['asNeededBoolean'] === true || object(d['asNeededCodeableConcept']) !== undefined;
  return { ...dose, ...(perDay === undefined ? {} : { perDay }), ...(text === undefined ? {} : { text }), asNeeded, ...(courseDays === undefined ? {} : { courseDays }), ...(courseEnd === undefined ? {} : { courseEnd }) };
}

/**
 * Reads a medicine's FHIR Dosage list. One dosage gives its dose times its administrations a
 * day. Several with one sequence number are taken together (FHIR R4 Dosage.sequence: "08:00,
 * 17:00 and 20:00"), so their amounts and administrations add up, when every one gives both.
 * Several with different sequence numbers follow one another (a tapering course), and several
 * without numbers may do either; which applies on the check date is not recorded, so the amount
 * a day is left unknown. A course of fixed length ends on its last day (see `courseOf`), counted
 * from `start`, when the prescription was written or the medicine first taken.
 */
export function dosageOf(list: unknown, start: string | undefined): DoseRead {
  const dosages = array(list).map(oneDosage);
  if (dosages.length === 0) return {};
  const texts = dosages.flatMap((d) => (d.text === undefined ? [] : [d.text]));
  const prn = dosages.every((d) => d.asNeeded) ? { asNeeded: true as const } : {};
  const sequences = new Set(array(list).map((raw) => number(object(raw)?.['sequence'])));
  const together = dosages.length === 1 || (sequences.size === 1 && !sequences.has(undefined));
  const course = courseOf(dosages, together, start);
  // Several instructions in one line: each without its closing full stop, so that the joins read cleanly.
  const doseText = texts.length === 0 ? {} : { doseText: texts.length === 1 ? (texts[0] as string) : texts.map((t) => t.trim().replace(/[.;]+$/, '')).join('; ') };
  if (!together) {
    return { ...prn, ...course, ...doseText, unknownBecause: `its ${dosages.length} dosage instructions ${sequences.has(undefined) ? 'are not numbered' : 'follow one another'}, and which applies on the check date is not recorded` };
  }
  const perDay = sum(dosages.map((d) => d.perDay));
  const times = perDay === undefined ? {} : { perDay };
  const unusable = dosages.find((d) => d.unusable !== undefined)?.unusable;
  if (unusable !== undefined) return { ...times, ...prn, ...course, ...doseText, unknownBecause: unusable };
  const mgPerDay = finite(sum(dosages.map((d) => (d.mg === undefined || d.perDay === undefined ? undefined : d.mg * d.perDay))));
  const unitsPerDay = finite(sum(dosages.map((d) => (d.units === undefined || d.perDay === undefined ? undefined : d.units * d.perDay))));
  return {
    ...(mgPerDay === undefined ? {} : { mgPerDay }),
    ...(unitsPerDay === undefined ? {} : { unitsPerDay }),
    ...times,
    ...prn,
    ...course,
    ...doseText,
  };
}

/** A FHIR Range in words: "1 to 2 tablet". */
function rangeText(range: Record<string, unknown>): string {
  const value = (end: 'low' | 'high'): string => `${number(object(range[end])?.['value']) ?? '?'}`;
  const unit = string(object(range['high'])?.['unit']) ?? string(object(range['low'])?.['unit']);
  return `${value('low')} to ${value('high')}${unit === undefined ? '' : ` ${unit}`}`;
}

/** The latest time a JavaScript Date can hold (ECMAScript's time range). */
const LATEST_TIME = 8.64e15;

/**
 * The last day of a medicine's course, when every dosage bounds it: the latest end date, when
 * every dosage names one; otherwise its length counted from `start` (a date or date-time), where
 * dosages taken together last as long as the longest and others (one after another, or
 * unnumbered) as long as all of them, which never ends a course too early. None when the day is
 * past what a date can name.
 */
function courseOf(dosages: readonly OneDosage[], together: boolean, start: string | undefined): Pick<DoseRead, 'courseEnd'> {
  const ends = dosages.map((d) => d.courseEnd);
  if (ends.every((end) => end !== undefined)) return { courseEnd: [...ends].sort().at(-1) };
  const lengths = dosages.map((d) => d.courseDays);
  const first = toTime(start);
  if (first === undefined || !lengths.every((days): days is number => days !== undefined)) return {};
  const last = lastDay(first, together ? Math.max(...lengths) : (sum(lengths) as number));
  return last === undefined ? {} : { courseEnd: last };
}

/** The last day (`YYYY-MM-DD`) of a stretch of this many days from the day of `first` (epoch milliseconds); undefined when it is past what a date can name. */
export function lastDay(first: number, days: number): string | undefined {
  const last = first + (Math.ceil(days) - 1) * 86_400_000;
  return last <= LATEST_TIME ? dayOf(last) : undefined;
}

/** A number when it is finite (a record's absurd amounts can overflow), else undefined. */
function finite(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** The sum of numbers that are all known, or undefined when any is not. */
function sum(values: readonly (number | undefined)[]): number | undefined {
  let total = 0;
  for (const value of values) {
    if (value === undefined) return undefined;
    total += value;
  }
  return total;
}
