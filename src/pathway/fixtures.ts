import type { PathwayFixture } from '../schema/generated/fixture.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { fromNativePatient } from '../patient/native.js';
import { evaluatePathway, type CompiledPathway, type PathwayEvaluation } from './graph.js';
import { triText } from './tri.js';
import { asOfDate, recordOn, viewOf } from './view.js';

/** The outcome of running one fixture: whether it passed, and each difference found. */
export interface FixtureResult {
  /** True when the pathway produced exactly what the fixture expects. */
  readonly passed: boolean;
  /** Each difference in words, such as `missing definite recommendation "offer-lama-laba"`. */
  readonly problems: readonly string[];
  /** The evaluation, for reports and debugging. */
  readonly evaluation: PathwayEvaluation;
}

function setDifference(a: Iterable<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

/** Runs a fixture's patient through its compiled pathway and compares the outcome with the expectation, as sets. */
export function runFixture(fixture: PathwayFixture, compiled: CompiledPathway, knowledge: KnowledgeBase): FixtureResult {
  const asOf = asOfDate(fixture.asOf);
  if (asOf === undefined) throw new RangeError(`fixture "${fixture.title}": asOf ${fixture.asOf} is not a date`);
  // The record as it stood on the fixture's date, as the engine checks it.
  const record = recordOn(fromNativePatient(fixture.patient, knowledge), asOf);
  const evaluation = evaluatePathway(compiled, viewOf(record, asOf, knowledge));
  const problems: string[] = [];
  const applies = triText(evaluation.applies.value);
  if (applies !== fixture.expect.applies) problems.push(`pathway applies: expected ${fixture.expect.applies}, got ${applies}`);
  const definite = new Set(evaluation.recommendations.filter((r) => r.certainty === 'definite').map((r) => r.recommendation.id));
  const possible = new Set(evaluation.recommendations.filter((r) => r.certainty === 'possible').map((r) => r.recommendation.id));
  for (const id of setDifference(fixture.expect.definite, definite)) problems.push(`missing definite recommendation "${id}"${possible.has(id) ? ' (it was possible)' : ''}`);
  for (const id of setDifference(definite, new Set(fixture.expect.definite))) problems.push(`unexpected definite recommendation "${id}"`);
  for (const id of setDifference(fixture.expect.possible, possible)) problems.push(`missing possible recommendation "${id}"${definite.has(id) ? ' (it was definite)' : ''}`);
  for (const id of setDifference(possible, new Set(fixture.expect.possible))) problems.push(`unexpected possible recommendation "${id}"`);
  const named = new Set([...evaluation.applies.needs, ...evaluation.recommendations.flatMap((r) => r.needs)].map((n) => n.concept));
  for (const concept of fixture.expect.needs ?? []) {
    if (!named.has(concept)) problems.push(`expected missing data "${concept}" to be named, but it was not`);
  }
  for (const note of record.dataQuality) {
    if (note.code.startsWith('unknown-') || note.code.startsWith('unrecognised-')) problems.push(`patient data not understood at ${note.location}: ${note.message}`);
  }
  return { passed: problems.length === 0, problems, evaluation };
}
