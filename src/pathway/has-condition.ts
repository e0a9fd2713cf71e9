/** Whether a patient has a condition, on the view of one check: the "has condition" predicate, compiled once and evaluated once per view. */
import type { KnowledgeBase } from '../knowledge/types.js';
import { fact } from '../facts.js';
import type { Evaluation } from './evaluation.js';
import { compilePredicate, type CompiledPredicate } from './predicate.js';
import type { PatientView } from './view.js';

/** Per knowledge base: the compiled "has condition" predicate of each concept. */
const conditionPredicates = fact((_knowledge: KnowledgeBase) => new Map<string, CompiledPredicate>());
/** A view's condition results already worked out, by concept. */
const conditionResults = fact((_view: PatientView) => new Map<string, Evaluation>());

/** Whether the patient has a condition (three-valued), evaluated once per view and concept. */
export function hasCondition(concept: string, view: PatientView): Evaluation {
  const results = conditionResults(view);
  let result = results.get(concept);
  if (result === undefined) results.set(concept, (result = conditionPredicate(concept, view.knowledge)(view)));
  return result;
}

/** The compiled "has condition" predicate for a concept, compiled once per knowledge base. */
function conditionPredicate(concept: string, knowledge: KnowledgeBase): CompiledPredicate {
  const byConcept = conditionPredicates(knowledge);
  let predicate = byConcept.get(concept);
  if (predicate === undefined) {
    predicate = compilePredicate({ kind: 'condition', concept }, knowledge, `/conditions/${concept}`);
    byConcept.set(concept, predicate);
  }
  return predicate;
}

