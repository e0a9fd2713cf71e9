/**
 * carepath: checks the combined care of people with several long-term conditions.
 * This file is the public API; every export is named and documented where it is defined.
 */
export { createEngine, EngineConfigurationError, type CheckOptions, type Engine, type EngineOptions } from './engine.js';
export { renderText, type TextFormat } from './report/text.js';
export { bundledDefaults, bundledKnowledgeFiles, bundledPathwayFiles } from './bundled.js';
export { version } from './version.js';

export { parseJson } from './schema/json.js';
export { loadFixture, loadKnowledgeDocument, loadPathway, loadPatient, validateReport } from './schema/load.js';
export { formatIssue, type LoadIssue, type LoadIssueCode, type LoadOptions, type LoadResult } from './schema/issues.js';

export { compileKnowledge } from './knowledge/compile.js';
export { loadKnowledge, type JsonFile } from './knowledge/load.js';
export { buildMatcher, type MedicationMatch, type MedicationMatcher } from './knowledge/matcher.js';
export { recognitionRate, type MedicationSample, type RecognitionRate } from './knowledge/recognition.js';
export type { KnowledgeBase } from './knowledge/types.js';
export { isAtcCode, isLoincCode, isRxnormId, isSnomedConceptId } from './knowledge/codes.js';

export { fromNativePatient } from './patient/native.js';
export { fromFhirBundle } from './patient/fhir-r4/bundle.js';
export { PatientInputError, readPatient } from './patient/read.js';
export type { PatientRecord } from './patient/record.js';

export { triAnd, triNot, triOr, type Tri } from './pathway/tri.js';
export type { Evaluation } from './pathway/evaluation.js';
export { compilePathway, evaluatePathway, type CompiledPathway, type FiredRecommendation, type PathwayEvaluation } from './pathway/graph.js';
export { loadPathways } from './pathway/load.js';
export { asOfDate, recordOn, viewOf, type AsOf, type PatientView } from './pathway/view.js';
export { describePredicate } from './pathway/describe.js';
export { lintKnowledge, lintPathway, type LintCode, type LintFinding } from './pathway/lint.js';
export { toDot, toMermaid, toSvg } from './pathway/draw.js';
export { runFixture, type FixtureResult } from './pathway/fixtures.js';

export type { Knowledge } from './schema/generated/knowledge.js';
export type { Pathway, Recommendation, Step } from './schema/generated/pathway.js';
export type { Patient } from './schema/generated/patient.js';
export type { CheckReport } from './schema/generated/report.js';
export type { PathwayFixture } from './schema/generated/fixture.js';
export type { Predicate } from './schema/generated/common.js';
