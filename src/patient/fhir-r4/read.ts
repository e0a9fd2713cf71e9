import type { CodeableConcept, Coding } from '@medplum/fhirtypes';
import { shortSystem, type InputCode } from '../recognise.js';

/**
 * Defensive readers for FHIR JSON as it arrives from real systems: every field may be
 * missing or of the wrong type, and nothing here throws.
 */

/** A value as an object, or undefined. */
export function object(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A value as an array (a single value becomes a one-item array; nothing becomes empty). */
export function array(value: unknown): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  return value === undefined || value === null ? [] : [value];
}

/** A value as a non-empty string, or undefined. */
export function string(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A value as a finite number, or undefined. */
export function number(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The codings of a CodeableConcept, with carepath's short system names. */
export function codesOf(concept: unknown): InputCode[] {
  const cc = object(concept) as CodeableConcept | undefined;
  return array(cc?.coding).flatMap((raw) => {
    const coding = object(raw) as Coding | undefined;
    const code = string(coding?.code);
    if (code === undefined) return [];
    const display = string(coding?.display);
    return [{ system: shortSystem(string(coding?.system)), code, ...(display === undefined ? {} : { display }) }];
  });
}

/** The text of a CodeableConcept: its `text`, else its first display. */
export function textOf(concept: unknown): string | undefined {
  const cc = object(concept);
  return string(cc?.['text']) ?? codesOf(concept).find((c) => c.display !== undefined)?.display;
}

/** The first code of a CodeableConcept's codings in a given FHIR code system, e.g. a clinical status. */
export function statusCode(concept: unknown): string | undefined {
  return array(object(concept)?.['coding']).map((c) => string(object(c)?.['code'])).find((c) => c !== undefined);
}

/** The first date of a set of FHIR date fields (dateTime, Period.start, instant). */
export function dateOf(...values: unknown[]): string | undefined {
  for (const value of values) {
    const text = string(value) ?? string(object(value)?.['start']);
    if (text !== undefined) return text;
  }
  return undefined;
}
