import type { KnowledgeBase } from '../knowledge/types.js';
import { makeIssue, type LoadIssue } from '../schema/issues.js';
import { findTooDeep, MAX_DEPTH } from '../schema/json.js';
import { loadPatient } from '../schema/load.js';
import { fromFhirBundle } from './fhir-r4/bundle.js';
import { fromNativePatient } from './native.js';
import type { PatientRecord } from './record.js';

/** The input could not be read as a patient at all; `issues` say why, with JSON pointers. */
export class PatientInputError extends Error {
  override readonly name = 'PatientInputError';
  /** Every problem found. */
  readonly issues: readonly LoadIssue[];

  constructor(issues: readonly LoadIssue[]) {
    super(issues.map((i) => `${i.pointer === '' ? '/' : i.pointer}: ${i.message}`).join('\n'));
    this.issues = issues;
  }
}

/** Which format an input is in: a FHIR R4 Bundle, or carepath's native patient. */
export function patientFormat(input: unknown): 'fhir-bundle' | 'native' | 'other-fhir' | 'not-an-object' {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return 'not-an-object';
  const type = (input as { resourceType?: unknown }).resourceType;
  if (type === undefined) return 'native';
  return type === 'Bundle' ? 'fhir-bundle' : 'other-fhir';
}

/** What was given instead of an object, in words; text is most often JSON not yet parsed. */
function foundInstead(input: unknown): string {
  if (Array.isArray(input)) return 'an array';
  if (input === null) return 'null';
  return typeof input === 'string' ? 'a string (JSON text must be parsed first, with JSON.parse or parseJson)' : typeof input;
}

/**
 * Reads any supported patient input into a PatientRecord: a FHIR R4 Bundle (read leniently,
 * with data-quality notes) or a native patient (validated against its schema). Input that is
 * neither throws a PatientInputError with typed issues; nothing else throws.
 */
export function readPatient(input: unknown, knowledge: KnowledgeBase, file?: string): PatientRecord {
  const options = file === undefined ? {} : { file };
  const deep = findTooDeep(input);
  if (deep !== undefined) throw new PatientInputError([makeIssue('CP_JSON_TOO_DEEP', deep, `nesting at most ${MAX_DEPTH} levels deep`, 'deeper nesting', options)]);
  switch (patientFormat(input)) {
    case 'fhir-bundle':
      return fromFhirBundle(input as Record<string, unknown>, knowledge);
    case 'native': {
      const loaded = loadPatient(input, options);
      if (!loaded.ok) throw new PatientInputError(loaded.issues);
      return fromNativePatient(loaded.value, knowledge);
    }
    case 'other-fhir':
      throw new PatientInputError([makeIssue('CP_SCHEMA', '/resourceType', 'a FHIR Bundle (resourceType "Bundle") or a carepath patient', JSON.stringify((input as { resourceType?: unknown }).resourceType), options)]);
    case 'not-an-object':
      throw new PatientInputError([makeIssue('CP_SCHEMA', '', 'a JSON object: a FHIR Bundle or a carepath patient', foundInstead(input), options)]);
  }
}
