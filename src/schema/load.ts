import { schemaErrors, type SchemaName } from './ajv.js';
import { explainErrors } from './explain.js';
import { findTooDeep, frozenCopy, MAX_DEPTH } from './json.js';
import { makeIssue, type LoadOptions, type LoadResult } from './issues.js';
import type { Knowledge } from './generated/knowledge.js';
import type { Pathway } from './generated/pathway.js';
import type { Patient } from './generated/patient.js';
import type { CheckReport } from './generated/report.js';
import type { PathwayFixture } from './generated/fixture.js';

/**
 * Validates any JSON value against one of carepath's schemas. Never throws: hostile input
 * (deep nesting, odd keys, huge strings) yields typed issues. A valid document comes back
 * as a frozen deep copy, so later stages can share it and the caller's object stays theirs.
 */
function loadDocument<T>(name: SchemaName, json: unknown, options: LoadOptions): LoadResult<T> {
  const tooDeep = findTooDeep(json);
  if (tooDeep !== undefined) {
    return {
      ok: false,
      issues: [makeIssue('CP_JSON_TOO_DEEP', tooDeep, `nesting at most ${MAX_DEPTH} levels deep`, 'deeper nesting', options)],
    };
  }
  try {
    const errors = schemaErrors(name, json);
    if (errors.length > 0) return { ok: false, issues: explainErrors(errors, options) };
    return { ok: true, value: frozenCopy(json as T) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, issues: [makeIssue('CP_INTERNAL', '', `a ${name} document carepath can validate`, 'an input that failed validation itself', options, reason)] };
  }
}

/** Validates a pathway document against `schemas/pathway.schema.json`. */
export function loadPathway(json: unknown, options: LoadOptions = {}): LoadResult<Pathway> {
  return loadDocument<Pathway>('pathway', json, options);
}

/** Validates one knowledge file against `schemas/knowledge.schema.json`. */
export function loadKnowledgeDocument(json: unknown, options: LoadOptions = {}): LoadResult<Knowledge> {
  return loadDocument<Knowledge>('knowledge', json, options);
}

/** Validates a native carepath patient against `schemas/patient.schema.json`. */
export function loadPatient(json: unknown, options: LoadOptions = {}): LoadResult<Patient> {
  return loadDocument<Patient>('patient', json, options);
}

/** Validates a report against the report contract, `schemas/report.schema.json`. */
export function validateReport(json: unknown, options: LoadOptions = {}): LoadResult<CheckReport> {
  return loadDocument<CheckReport>('report', json, options);
}

/** Validates a pathway test fixture against `schemas/fixture.schema.json`. */
export function loadFixture(json: unknown, options: LoadOptions = {}): LoadResult<PathwayFixture> {
  return loadDocument<PathwayFixture>('fixture', json, options);
}
