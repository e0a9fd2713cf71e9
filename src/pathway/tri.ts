/**
 * Three-valued (Kleene) logic: the one home of carepath's truth tables. Every evaluator
 * combines truth values through these functions and nothing else writes its own and/or/not.
 * Unknown is never coerced to false.
 */

/** A truth value: true, false, or unknown when the data to decide is missing. */
export type Tri = true | false | 'unknown';

/** The unknown truth value. */
export const UNKNOWN = 'unknown' as const;

/** Kleene negation: not unknown is unknown. */
export function triNot(a: Tri): Tri {
  return a === UNKNOWN ? UNKNOWN : !a;
}

/** Kleene conjunction: false dominates, then unknown. */
export function triAnd(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  return true;
}

/** Kleene disjunction: true dominates, then unknown. */
export function triOr(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
  return false;
}

/**
 * Compares a quantity known only to lie in `[low, high]` with a threshold: true when the
 * comparison holds over the whole interval, false when it fails over the whole interval,
 * otherwise unknown. A known quantity has `low === high`.
 */
export function triCompare(low: number, high: number, comparator: '<' | '<=' | '>' | '>=' | '=', threshold: number): Tri {
  const holds = (x: number): boolean => {
    switch (comparator) {
      case '<':
        return x < threshold;
      case '<=':
        return x <= threshold;
      case '>':
        return x > threshold;
      case '>=':
        return x >= threshold;
      case '=':
        return x === threshold;
    }
  };
  if (low === high) return holds(low);
  if (comparator === '=') return threshold < low || threshold > high ? false : UNKNOWN;
  const atLow = holds(low);
  const atHigh = holds(high);
  if (atLow && atHigh) return true;
  if (!atLow && !atHigh) return false;
  return UNKNOWN;
}

/** Renders a truth value as the report contract spells it. */
export function triText(value: Tri): 'true' | 'false' | 'unknown' {
  return value === UNKNOWN ? 'unknown' : value ? 'true' : 'false';
}
