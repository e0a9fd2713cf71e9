import type { Need } from '../schema/generated/report.js';
import { triAnd, triNot, triOr, UNKNOWN, type Tri } from './tri.js';

/** The result of evaluating a predicate: a truth value and, when unknown, the data that would settle it. */
export interface Evaluation {
  /** The truth value. */
  readonly value: Tri;
  /** When `value` is unknown: what is missing. Empty otherwise. */
  readonly needs: readonly Need[];
}

/** A definite truth value. */
export function known(value: boolean): Evaluation {
  return value ? TRUE : FALSE;
}

/** An unknown value, with what is missing. */
export function unknown(needs: readonly Need[]): Evaluation {
  return { value: UNKNOWN, needs };
}

/** The definite true evaluation. */
export const TRUE: Evaluation = Object.freeze({ value: true, needs: Object.freeze([]) });

/** The definite false evaluation. */
export const FALSE: Evaluation = Object.freeze({ value: false, needs: Object.freeze([]) });

function mergeNeeds(a: readonly Need[], b: readonly Need[]): Need[] {
  const merged = [...a];
  for (const need of b) {
    if (!merged.some((n) => n.kind === need.kind && n.concept === need.concept && n.message === need.message)) merged.push(need);
  }
  return merged;
}

/**
 * An unknown result of combining two evaluations: the needs of whichever are unknown. When only
 * one is unknown (or both are the same), that evaluation is the result as it is: evaluations are
 * immutable, and a check combines thousands of them.
 */
function unknownOf(a: Evaluation, b: Evaluation): Evaluation {
  if (b.value !== UNKNOWN || a === b) return a;
  if (a.value !== UNKNOWN) return b;
  return unknown(mergeNeeds(a.needs, b.needs));
}

/** Conjunction of evaluations; needs are kept only while the result is unknown. */
export function evalAnd(a: Evaluation, b: Evaluation): Evaluation {
  const value: Tri = triAnd(a.value, b.value);
  return value === UNKNOWN ? unknownOf(a, b) : known(value);
}

/** Disjunction of evaluations; needs are kept only while the result is unknown. */
export function evalOr(a: Evaluation, b: Evaluation): Evaluation {
  const value: Tri = triOr(a.value, b.value);
  return value === UNKNOWN ? unknownOf(a, b) : known(value);
}

/** Negation of an evaluation; an unknown keeps its needs. */
export function evalNot(a: Evaluation): Evaluation {
  const value = triNot(a.value);
  return value === UNKNOWN ? a : known(value);
}
