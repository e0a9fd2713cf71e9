import type { DrugRef, Predicate } from '../schema/generated/common.js';

/**
 * Decides whether a conjunction of predicates can ever be definitely true, for the linter.
 * Atoms become constraints: conditions and drugs are boolean variables, observations, ages
 * and event counts are numeric intervals, sex is a category. The search branches on `any`
 * and gives up (answering "can be true") past a budget, so it never reports a false alarm.
 */
export function canBeTrue(predicates: readonly (Predicate | 'never')[], budget = 20_000): boolean {
  const goals = predicates.map((p) => (p === 'never' ? NEVER : normal(p, false)));
  const state = { budget };
  return search(goals, new Map(), state) !== false;
}

type Literal =
  | { readonly kind: 'bool'; readonly key: string; readonly value: boolean }
  | { readonly kind: 'range'; readonly key: string; readonly comparator: Cmp; readonly value: number }
  | { readonly kind: 'category'; readonly key: string; readonly value: string; readonly equal: boolean };
type Cmp = '<' | '<=' | '>' | '>=' | '=';
type Normal = { readonly kind: 'and' | 'or'; readonly of: readonly Normal[] } | { readonly kind: 'lit'; readonly literal: Literal } | { readonly kind: 'never' };
const NEVER: Normal = { kind: 'never' };

const negated: Record<Cmp, Cmp | undefined> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '=': undefined };

/** A drug reference as a literal's key: the ingredient, or `class:` and the class. */
function drugKey(drug: DrugRef): string {
  return 'ingredient' in drug ? drug.ingredient : `class:${drug.class}`;
}

/** Negation normal form, with atoms turned into literals. */
function normal(p: Predicate, negate: boolean): Normal {
  const lit = (literal: Literal): Normal => ({ kind: 'lit', literal });
  const range = (key: string, comparator: Cmp, value: number): Normal => {
    if (!negate) return lit({ kind: 'range', key, comparator, value });
    const opposite = negated[comparator];
    return opposite === undefined
      ? { kind: 'or', of: [lit({ kind: 'range', key, comparator: '<', value }), lit({ kind: 'range', key, comparator: '>', value })] }
      : lit({ kind: 'range', key, comparator: opposite, value });
  };
  switch (p.kind) {
    case 'all':
      return { kind: negate ? 'or' : 'and', of: p.of.map((q) => normal(q, negate)) };
    case 'any':
      return { kind: negate ? 'and' : 'or', of: p.of.map((q) => normal(q, negate)) };
    case 'not':
      return normal(p.predicate, !negate);
    case 'condition':
      return lit({ kind: 'bool', key: `condition:${p.concept}`, value: !negate });
    case 'on-drug':
      return lit({ kind: 'bool', key: `drug:${drugKey(p.drug)}`, value: !negate });
    case 'allergy':
      return lit({ kind: 'bool', key: `allergy:${drugKey(p.drug)}`, value: !negate });
    case 'observation-recorded':
      return lit({ kind: 'bool', key: `recorded:${p.concept}:${p.within ?? ''}`, value: !negate });
    case 'observation':
      return range(`observation:${p.concept}:${p.within}:${p.unit}`, p.comparator, p.value);
    case 'age':
      return range('age', p.comparator, p.value);
    case 'event-count':
      return range(`events:${p.event}:${p.within}`, p.comparator, p.value);
    case 'sex':
      return lit({ kind: 'category', key: 'sex', value: p.is, equal: !negate });
  }
}

interface Interval {
  readonly lo: number;
  readonly loOpen: boolean;
  readonly hi: number;
  readonly hiOpen: boolean;
}
type Store = ReadonlyMap<string, boolean | Interval | { readonly is?: string; readonly not: readonly string[] }>;

function narrow(interval: Interval, comparator: Cmp, value: number): Interval | undefined {
  let { lo, loOpen, hi, hiOpen } = interval;
  const raiseLo = (v: number, open: boolean): void => {
    if (v > lo || (v === lo && open && !loOpen)) [lo, loOpen] = [v, open];
  };
  const lowerHi = (v: number, open: boolean): void => {
    if (v < hi || (v === hi && open && !hiOpen)) [hi, hiOpen] = [v, open];
  };
  if (comparator === '<') lowerHi(value, true);
  if (comparator === '<=') lowerHi(value, false);
  if (comparator === '>') raiseLo(value, true);
  if (comparator === '>=') raiseLo(value, false);
  if (comparator === '=') {
    raiseLo(value, false);
    lowerHi(value, false);
  }
  if (lo > hi || (lo === hi && (loOpen || hiOpen))) return undefined;
  return { lo, loOpen, hi, hiOpen };
}

function assume(store: Store, literal: Literal): Store | undefined {
  const current = store.get(literal.key);
  const next = new Map(store);
  switch (literal.kind) {
    case 'bool':
      if (typeof current === 'boolean') return current === literal.value ? store : undefined;
      next.set(literal.key, literal.value);
      return next;
    case 'range': {
      const interval = (current as Interval | undefined) ?? { lo: -Infinity, loOpen: true, hi: Infinity, hiOpen: true };
      const narrowed = narrow(interval, literal.comparator, literal.value);
      if (narrowed === undefined) return undefined;
      next.set(literal.key, narrowed);
      return next;
    }
    case 'category': {
      const known = (current as { is?: string; not: readonly string[] } | undefined) ?? { not: [] };
      if (literal.equal) {
        if ((known.is !== undefined && known.is !== literal.value) || known.not.includes(literal.value)) return undefined;
        next.set(literal.key, { ...known, is: literal.value });
      } else {
        if (known.is === literal.value) return undefined;
        next.set(literal.key, { ...known, not: [...known.not, literal.value] });
      }
      return next;
    }
  }
}

/** Depth-first search for a consistent choice; undefined means the budget ran out. */
function search(goals: readonly Normal[], store: Store, state: { budget: number }): boolean | undefined {
  if (--state.budget < 0) return undefined;
  const [first, ...rest] = goals;
  if (first === undefined) return true;
  switch (first.kind) {
    case 'never':
      return false;
    case 'lit': {
      const next = assume(store, first.literal);
      return next === undefined ? false : search(rest, next, state);
    }
    case 'and':
      return search([...first.of, ...rest], store, state);
    case 'or': {
      let exhausted = false;
      for (const option of first.of) {
        const result = search([option, ...rest], store, state);
        if (result === true) return true;
        if (result === undefined) exhausted = true;
      }
      return exhausted ? undefined : false;
    }
  }
}
