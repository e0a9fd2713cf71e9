import { drugLookupCodes, type DrugCode, type MedicationMatcher } from './matcher.js';

/** A medication as it appears in a data set: its codes and its text. */
export interface MedicationSample {
  /** Codes with carepath's short system names. */
  readonly codes: readonly DrugCode[];
  /** The text as written. */
  readonly text?: string;
}

/** How many distinct medications of a data set the matcher recognises, and which it does not. */
export interface RecognitionRate {
  /** Distinct medications (by codes and text). */
  readonly distinct: number;
  /** Of those, recognised. */
  readonly recognised: number;
  /** The ones not recognised, by text (or codes). */
  readonly unrecognised: readonly string[];
}

/**
 * Measures recognition over a data set's medications, counting each distinct medication once,
 * looking codes up as the patient adapters do.
 */
export function recognitionRate(samples: Iterable<MedicationSample>, matcher: MedicationMatcher): RecognitionRate {
  const seen = new Map<string, { sample: MedicationSample; ok: boolean }>();
  for (const sample of samples) {
    const key = `${sample.codes.map((c) => `${c.system}|${c.code}`).join(',')}#${sample.text ?? ''}`;
    if (seen.has(key)) continue;
    seen.set(key, { sample, ok: matcher.match(drugLookupCodes(sample.codes), sample.text) !== undefined });
  }
  const unrecognised = [...seen.values()].filter((s) => !s.ok).map((s) => s.sample.text ?? s.sample.codes.map((c) => `${c.system} ${c.code}`).join(', ')).sort();
  return { distinct: seen.size, recognised: seen.size - unrecognised.length, unrecognised };
}
