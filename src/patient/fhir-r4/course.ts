import { toTime } from '../record.js';
import { durationInDays, lastDay } from './dosage.js';
import { array, number, object, string } from './read.js';

/**
 * The code systems of a MedicationRequest's course of therapy: FHIR R4's
 * (http://hl7.org/fhir/R4/valueset-medicationrequest-course-of-therapy.html) and the NHS's for
 * the Electronic Prescription Service, which adds `continuous-repeat-dispensing`.
 */
const COURSE_SYSTEMS = new Set(['http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy', 'https://fhir.nhs.uk/CodeSystem/medicationrequest-course-of-therapy']);

/**
 * Whether a MedicationRequest is a short (acute) course: FHIR R4's `acute` course of therapy, a
 * medicine the patient is expected to take only for the current order, which is not expected to
 * be renewed. Such a medicine is not a regular one.
 */
export function isAcuteCourse(request: Record<string, unknown>): boolean {
  return array(object(request['courseOfTherapyType'])?.['coding']).some((raw) => {
    const coding = object(raw);
    return string(coding?.['code']) === 'acute' && COURSE_SYSTEMS.has(string(coding?.['system']) ?? '');
  });
}

/**
 * The last day a short course's supply lasts (`YYYY-MM-DD`), when its dispense request gives the
 * supply (`expectedSupplyDuration`, once more for each repeat allowed) and a day it could start
 * on. It is counted from the latest day the request lets it be dispensed (the end of its validity
 * period), or else from the later of when it was written and when its validity begins, as a
 * dosage bounded "for 10 days" is counted from when it was written.
 */
export function acuteSupplyEnd(request: Record<string, unknown>): string | undefined {
  const dispense = object(request['dispenseRequest']);
  const supply = durationInDays(dispense?.['expectedSupplyDuration']);
  if (supply === undefined) return undefined;
  const repeats = number(dispense?.['numberOfRepeatsAllowed']);
  const validity = object(dispense?.['validityPeriod']);
  const lastValid = toTime(string(validity?.['end']));
  const starts = [toTime(string(request['authoredOn'])), toTime(string(validity?.['start']))].filter((time) => time !== undefined);
  const from = lastValid ?? (starts.length === 0 ? undefined : Math.max(...starts));
  if (from === undefined) return undefined;
  return lastDay(from, supply * (1 + (repeats !== undefined && Number.isInteger(repeats) && repeats > 0 ? repeats : 0)));
}
