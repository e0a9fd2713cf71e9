import type { KnowledgeBase } from '../knowledge/types.js';
import { dayOf, type PatientRecord, type RecordObservation } from '../patient/record.js';
import type { DataQualityNote } from '../schema/generated/report.js';

/** The observation concepts the calculation reads and gives. */
const CREATININE = 'creatinine';
const WEIGHT = 'body-weight';
const CLEARANCE = 'creatinine-clearance';

/** How far from the creatinine result a weight may have been measured. */
const WEIGHT_WITHIN_MS = 366 * 86_400_000;

/**
 * The Cockcroft-Gault constants for serum creatinine in µmol/L: the original formula's
 * 1/72 per mg/dL is 1.23 per µmol/L, and 0.85 of that for women (Cockcroft and Gault,
 * Nephron 1976;16:31-41, https://doi.org/10.1159/000180580).
 */
const CONSTANT = { male: 1.23, female: 1.04 } as const;

/** A creatinine clearance carepath worked out, and the note that tells the report how. */
export interface CalculatedClearance {
  /** The result, dated by the creatinine result it comes from. */
  readonly observation: RecordObservation;
  /** What it was calculated from. */
  readonly note: DataQualityNote;
}

/**
 * Creatinine clearance by the Cockcroft-Gault formula, as the MHRA advises for dosing direct
 * oral anticoagulants and for people aged 75 or over (Drug Safety Update, October 2019:
 * https://www.gov.uk/drug-safety-update/prescribing-medicines-in-renal-impairment-using-the-appropriate-estimate-of-renal-function-to-avoid-the-risk-of-adverse-drug-reactions).
 * It is worked out from the latest serum creatinine up to the check date and no older than
 * `since` (carepath reads kidney function from the last 12 months), the weight measured
 * closest to it (within a year; actual body weight), the age on the day of the test (the older
 * bound when only a birth year or month is known, which gives the lower clearance) and sex.
 *
 * Undefined when the record lacks any of these (a sex other than male or female, an age under
 * 18, a creatinine known only as a bound such as "<40"), when a measured clearance is as
 * recent, or when the knowledge base has no such concepts; rules that read clearance then stay
 * unknown. `observations` are the record's, by concept and newest first, up to the check date.
 */
export function cockcroftGault(
  record: PatientRecord,
  observations: ReadonlyMap<string, readonly RecordObservation[]>,
  since: number,
  ageOn: (time: number) => readonly [number, number] | undefined,
  knowledge: KnowledgeBase,
): CalculatedClearance | undefined {
  const range = knowledge.observations.get(CLEARANCE)?.definition.valueRange;
  const sex = record.sex === 'male' || record.sex === 'female' ? record.sex : undefined;
  const creatinine = observations.get(CREATININE)?.[0];
  if (!knowledge.observations.has(CLEARANCE) || sex === undefined || creatinine === undefined || creatinine.comparator !== undefined || creatinine.time < since) return undefined;
  const measured = observations.get(CLEARANCE)?.[0];
  if (measured !== undefined && measured.time >= creatinine.time) return undefined;
  const weight = closestInTime(observations.get(WEIGHT) ?? [], creatinine.time);
  const age = ageOn(creatinine.time)?.[1];
  if (weight === undefined || age === undefined || age < 18) return undefined;
  const value = ((140 - age) * weight.value * CONSTANT[sex]) / creatinine.value;
  if (range !== undefined && (value < range.min || value > range.max)) return undefined;
  const rounded = Math.round(value);
  return {
    observation: { location: creatinine.location, concept: CLEARANCE, value, time: creatinine.time },
    note: {
      code: 'creatinine-clearance-calculated',
      location: creatinine.location,
      text: `${rounded} mL/min`,
      message:
        `creatinine clearance ${rounded} mL/min by Cockcroft-Gault, from serum creatinine ${Math.round(creatinine.value)} µmol/L (${dayOf(creatinine.time)}), ` +
        `actual body weight ${Math.round(weight.value * 10) / 10} kg (${dayOf(weight.time)}), age ${age}, ${sex}; rules that read creatinine clearance use it`,
    },
  };
}

/** The exact observation (not a bound) measured closest in time to `time`, within a year of it (the newer of two as close). */
function closestInTime(list: readonly RecordObservation[], time: number): RecordObservation | undefined {
  let best: RecordObservation | undefined;
  for (const o of list) {
    const gap = Math.abs(o.time - time);
    if (o.comparator === undefined && gap <= WEIGHT_WITHIN_MS && (best === undefined || gap < Math.abs(best.time - time))) best = o;
  }
  return best;
}
