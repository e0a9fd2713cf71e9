import type { Predicate } from '../schema/generated/common.js';
import { ingredientsOf, type KnowledgeBase } from '../knowledge/types.js';
import { inCanonicalUnit, unitConversion } from '../knowledge/units.js';
import { evalAnd, evalNot, evalOr, FALSE, known, TRUE, unknown, type Evaluation } from './evaluation.js';
import { triCompare, UNKNOWN } from './tri.js';
import { durationText, viewWindowStart, type PatientView } from './view.js';
import { valueRange } from '../patient/record.js';

/** Receives the value of every predicate node evaluated, by JSON pointer; kept apart from the rules. */
export type TraceSink = (pointer: string, evaluation: Evaluation) => void;

/** A predicate compiled to a closure over one patient view. */
export type CompiledPredicate = (view: PatientView, trace?: TraceSink) => Evaluation;

/**
 * Compiles a validated predicate into a closure, once. Every reference must already be known
 * to the knowledge base (the pathway compiler checks that first); thresholds are converted
 * to the observation's canonical unit here, so evaluation is lookups and comparisons only.
 */
export function compilePredicate(predicate: Predicate, knowledge: KnowledgeBase, pointer: string): CompiledPredicate {
  const node = compileNode(predicate, knowledge, pointer);
  return (view, trace) => {
    const result = node(view, trace);
    trace?.(pointer, result);
    return result;
  };
}

function compileNode(predicate: Predicate, knowledge: KnowledgeBase, pointer: string): CompiledPredicate {
  switch (predicate.kind) {
    case 'all': {
      const operands = predicate.of.map((p, i) => compilePredicate(p, knowledge, `${pointer}/of/${i}`));
      return (view, trace) => {
        let result = TRUE;
        for (const operand of operands) {
          result = evalAnd(result, operand(view, trace));
          if (result.value === false) return FALSE;
        }
        return result;
      };
    }
    case 'any': {
      const operands = predicate.of.map((p, i) => compilePredicate(p, knowledge, `${pointer}/of/${i}`));
      return (view, trace) => {
        let result = FALSE;
        for (const operand of operands) {
          result = evalOr(result, operand(view, trace));
          if (result.value === true) return TRUE;
        }
        return result;
      };
    }
    case 'not': {
      const operand = compilePredicate(predicate.predicate, knowledge, `${pointer}/predicate`);
      return (view, trace) => evalNot(operand(view, trace));
    }
    case 'condition':
      return compileCondition(predicate.concept, knowledge, pointer);
    case 'on-drug': {
      const targets = ingredientsOf(knowledge, predicate.drug);
      const targetList = [...targets];
      return (view) => anyOf(view.currentIngredients, targets, targetList);
    }
    case 'allergy': {
      const targets = ingredientsOf(knowledge, predicate.drug);
      const targetList = [...targets];
      return (view) => anyOf(view.allergens, targets, targetList);
    }
    case 'observation': {
      const concept = knowledge.observations.get(predicate.concept);
      const conversion = concept === undefined ? undefined : unitConversion(concept, predicate.unit);
      const threshold = conversion === undefined ? predicate.value : inCanonicalUnit(predicate.value, conversion);
      const name = concept?.definition.name ?? predicate.concept;
      const missing = unknown([{ kind: 'observation', concept: predicate.concept, message: `no ${name} in the last ${durationText(predicate.within)}` }]);
      return (view) => {
        const start = viewWindowStart(view, predicate.within);
        const latest = view.observations.get(predicate.concept)?.find((o) => o.time >= start);
        if (latest === undefined) return missing;
        const [low, high] = valueRange(latest);
        const value = triCompare(low, high, predicate.comparator, threshold);
        if (value !== UNKNOWN) return known(value);
        // A bound ("<90") that does not settle the criterion ("below 60").
        return unknown([{ kind: 'observation', concept: predicate.concept, message: `the latest ${name} is recorded only as ${latest.comparator ?? ''}${latest.value} ${concept?.definition.unit ?? ''}` }]);
      };
    }
    case 'observation-recorded': {
      const within = predicate.within;
      return (view) => {
        const start = within === undefined ? Number.NEGATIVE_INFINITY : viewWindowStart(view, within);
        return known(view.observations.get(predicate.concept)?.some((o) => o.time >= start) === true);
      };
    }
    case 'age': {
      const missing = unknown([{ kind: 'demographic', concept: 'birthDate', message: 'no birth date recorded' }]);
      const vague = unknown([{ kind: 'demographic', concept: 'birthDate', message: 'the birth date is recorded only in part, too vaguely to tell the age' }]);
      return (view) => {
        if (view.age === undefined) return missing;
        const value = triCompare(view.age[0], view.age[1], predicate.comparator, predicate.value);
        return value === UNKNOWN ? vague : known(value);
      };
    }
    case 'sex': {
      const missing = unknown([{ kind: 'demographic', concept: 'sex', message: 'sex not recorded' }]);
      return (view) => {
        const sex = view.record.sex;
        if (sex === 'female' || sex === 'male') return known(sex === predicate.is);
        return missing;
      };
    }
    case 'event-count': {
      const concept = knowledge.events.get(predicate.event);
      const complete = concept?.absentMeans === 'false';
      const name = concept?.name ?? predicate.event;
      return (view) => {
        const start = viewWindowStart(view, predicate.within);
        const count = view.events.get(predicate.event)?.filter((t) => t >= start).length ?? 0;
        const value = triCompare(count, complete ? count : Number.POSITIVE_INFINITY, predicate.comparator, predicate.value);
        if (value !== UNKNOWN) return known(value);
        return unknown([{ kind: 'event', concept: predicate.event, message: `${count} ${name} recorded in the last ${durationText(predicate.within)}; the record may be incomplete` }]);
      };
    }
  }
}

/**
 * True when any of the patient's ingredients (taken, or recorded as allergens) is a target, false
 * otherwise. The smaller side is walked (a single drug's one ingredient, rather than a patient's
 * twenty), and the targets from a list made when the predicate is compiled, without an iterator.
 */
function anyOf(ingredients: ReadonlySet<string>, targets: ReadonlySet<string>, targetList: readonly string[]): Evaluation {
  if (targetList.length <= ingredients.size) {
    for (let i = 0; i < targetList.length; i++) if (ingredients.has(targetList[i] as string)) return TRUE;
    return FALSE;
  }
  for (const ingredient of ingredients) if (targets.has(ingredient)) return TRUE;
  return FALSE;
}

/**
 * Whether the patient has a condition: recorded as present, or established by the concept's
 * observation criteria. Recorded as refuted is false; recorded only as an unconfirmed diagnosis
 * is unknown. Otherwise the concept's `absentMeans` policy decides: `false` for diagnoses a
 * problem list records reliably, `unknown` for findings.
 */
function compileCondition(conceptId: string, knowledge: KnowledgeBase, pointer: string): CompiledPredicate {
  const concept = knowledge.conditions.get(conceptId);
  const name = concept?.name ?? conceptId;
  const establishedBy = concept?.establishedBy === undefined ? undefined : compilePredicate(concept.establishedBy, knowledge, `${pointer}/establishedBy`);
  const absent = concept?.absentMeans === 'unknown' ? unknown([{ kind: 'condition', concept: conceptId, message: `${name} not recorded as present or absent` }]) : FALSE;
  const unconfirmed = unknown([{ kind: 'condition', concept: conceptId, message: `${name} recorded only as an unconfirmed diagnosis` }]);
  return (view) => {
    if (view.present.has(conceptId)) return TRUE;
    if (view.refuted.has(conceptId)) return FALSE;
    const otherwise = view.uncertain.has(conceptId) ? unconfirmed : absent;
    if (establishedBy === undefined) return otherwise;
    const established = establishedBy(view);
    return established.value === true ? TRUE : evalOr(established, otherwise);
  };
}
