import type { DrugInteraction } from '../schema/generated/knowledge.js';
import type { CompiledConditionInteraction, CompiledDrugInteraction, KnowledgeBase } from '../knowledge/types.js';
import { type DetectContext, type Focus, severityRank, type Severity } from './types.js';
import { fact } from '../facts.js';
import type { CarePlan } from '../plan/types.js';
import { amongItems, examinedExposures, exposuresOf, type Exposure, within } from './exposures.js';
import { appendTo } from '../order.js';

/** What the knowledge base says about a pair of plan targets, whatever member each class stands for. */
export interface PairRelation {
  /** Every drug–drug rule that holds between them, by id. */
  readonly rules: readonly CompiledDrugInteraction[];
  /** The rules without a dose limit, most severe first: the drug–drug interaction. */
  readonly interactions: readonly DrugInteraction[];
  /** The rules limiting the dose of one side's single ingredient, strictest first. */
  readonly doseLimits: readonly DrugInteraction[];
  /** The smallest therapeutic class holding both (duplicate therapy), when they share no ingredient. */
  readonly sharedClass?: { readonly id: string; readonly name: string };
}

/**
 * Relations between plan targets depend only on the knowledge base and the targets' keys, so
 * they are computed once per pair of targets and remembered: re-checking a patched plan, or the
 * next patient, looks them up instead of walking class members again. They are kept in a table
 * by the targets' numbers (see `Exposure`): finding a plan's related pairs looks up every pair of
 * its drugs, and a lookup by number costs a fraction of one by a pair of keys.
 */
interface Memo {
  /** Target number → partner's target number → relation (stored both ways), filled as pairs are met. */
  readonly relations: (PairRelation | undefined)[][];
  readonly conditionRules: Map<string, readonly CompiledConditionInteraction[]>;
  readonly therapeuticClasses: ReadonlyMap<string, readonly { readonly id: string; readonly name: string; readonly members: ReadonlySet<string> }[]>;
}

const memoFor = fact((knowledge: KnowledgeBase): Memo => {
  const therapeuticClasses = new Map<string, { id: string; name: string; members: ReadonlySet<string> }[]>();
  for (const [id, compiled] of knowledge.classes) {
    if (compiled.definition.therapeuticClass !== true) continue;
    for (const member of compiled.members) {
      const list = therapeuticClasses.get(member) ?? [];
      list.push({ id, name: compiled.definition.name, members: compiled.members });
      therapeuticClasses.set(member, list);
    }
  }
  for (const list of therapeuticClasses.values()) list.sort((a, b) => a.members.size - b.members.size || (a.id < b.id ? -1 : 1));
  return { relations: [], conditionRules: new Map(), therapeuticClasses };
});

/** The relations of one target found so far, by its partners' numbers. */
function relationsOf(exposure: Exposure, memo: Memo): (PairRelation | undefined)[] {
  return (memo.relations[exposure.targetNumber] ??= []);
}

/** The relation between two exposures, computed the first time their targets are met together. */
function relationIn(memo: Memo, a: Exposure, aRelations: (PairRelation | undefined)[], b: Exposure, knowledge: KnowledgeBase): PairRelation {
  let relation = aRelations[b.targetNumber];
  if (relation === undefined) {
    relation = computeRelation(a, b, knowledge, memo);
    aRelations[b.targetNumber] = relation;
    relationsOf(b, memo)[a.targetNumber] = relation;
  }
  return relation;
}

/**
 * The relation between two exposures: looked up in the ingredient-pair index (never by
 * scanning the rules), once per pair of targets.
 */
export function relationBetween(a: Exposure, b: Exposure, knowledge: KnowledgeBase): PairRelation {
  const memo = memoFor(knowledge);
  return relationIn(memo, a, relationsOf(a, memo), b, knowledge);
}

/** Two exposures of one plan that the knowledge base relates (an interaction, a dose limit, a shared class), `a` first by item id. */
export interface RelatedPair {
  readonly a: Exposure;
  readonly b: Exposure;
  readonly relation: PairRelation;
}

/**
 * A plan's related pairs and the focus they were found for. A plan is examined with one focus
 * (none for the merged plan, the changed items for a patched one), so one slot is kept, not a
 * map: a re-check makes a plan for every change.
 */
const relatedFor = fact((_plan: CarePlan): { focus?: Focus; pairs?: readonly RelatedPair[] } => ({ focus: undefined, pairs: undefined }));

/**
 * The related pairs among a plan's exposures: every pair, or with a focus only the pairs that
 * include a focused item (re-checking a patched plan touches a few items, not all pairs).
 * Computed once per plan and focus and shared by the detectors that work on pairs; unrelated
 * pairs, the great majority, are dropped here.
 */
export function relatedPairs(context: DetectContext): readonly RelatedPair[] {
  const { plan, focus, knowledge } = context;
  const memo = relatedFor(plan);
  if (memo.pairs === undefined || memo.focus !== focus) {
    memo.focus = focus;
    memo.pairs = focus === undefined ? allRelatedPairs(exposuresOf(plan, knowledge), knowledge) : focusedRelatedPairs(examinedExposures(context), plan, knowledge);
  }
  return memo.pairs;
}

/** No related pairs (shared, never changed). */
const NO_PAIRS: readonly RelatedPair[] = Object.freeze([]);

/** A related pair, its exposures ordered as their items are in the plan. */
function relatedPair(x: Exposure, y: Exposure, relation: PairRelation): RelatedPair {
  return x.item.id < y.item.id ? { a: x, b: y, relation } : { a: y, b: x, relation };
}

/** Every related pair of a plan, each once. */
function allRelatedPairs(exposures: readonly Exposure[], knowledge: KnowledgeBase): RelatedPair[] {
  const memo = memoFor(knowledge);
  const pairs: RelatedPair[] = [];
  for (let i = 0; i < exposures.length; i++) {
    const x = exposures[i] as Exposure;
    const partners = relationsOf(x, memo);
    for (let j = i + 1; j < exposures.length; j++) {
      const y = exposures[j] as Exposure;
      const relation = relationIn(memo, x, partners, y, knowledge);
      if (relation !== NOTHING) pairs.push(relatedPair(x, y, relation));
    }
  }
  return pairs;
}

/**
 * The related pairs of a plan that include a focused exposure: each focused one with every
 * other, a pair of focused ones once (from the first of them in the plan's order), so the pairs
 * come in the order `allRelatedPairs` would give them.
 */
function focusedRelatedPairs(focused: readonly Exposure[], plan: CarePlan, knowledge: KnowledgeBase): readonly RelatedPair[] {
  // A change that only takes drugs out has no focused exposure, and the plan's exposures are not listed for it.
  if (focused.length === 0) return NO_PAIRS;
  const memo = memoFor(knowledge);
  const exposures = exposuresOf(plan, knowledge);
  let pairs: RelatedPair[] | undefined;
  for (let i = 0; i < focused.length; i++) {
    const x = focused[i] as Exposure;
    const partners = relationsOf(x, memo);
    for (let j = 0; j < exposures.length; j++) {
      const y = exposures[j] as Exposure;
      if (y.item === x.item || (y.item.id < x.item.id && amongItems(focused, y.item))) continue;
      const relation = relationIn(memo, x, partners, y, knowledge);
      if (relation !== NOTHING) pairs = appendTo(pairs, relatedPair(x, y, relation));
    }
  }
  return pairs ?? NO_PAIRS;
}

const NOTHING: PairRelation = { rules: [], interactions: [], doseLimits: [] };

function computeRelation(a: Exposure, b: Exposure, knowledge: KnowledgeBase, memo: Memo): PairRelation {
  const rules = computeRulesBetween(a.ingredients, b.ingredients, knowledge);
  const sharedClass = computeSharedClass(a, b, memo);
  if (rules.length === 0 && sharedClass === undefined) return NOTHING;
  const limits = (r: DrugInteraction): boolean => [a, b].some((e) => e.ingredients.length === 1 && e.ingredients[0] === r.doseLimit?.ingredient);
  return {
    rules,
    interactions: rules.map((r) => r.rule).filter((r) => r.doseLimit === undefined).sort(byRuleSeverity),
    doseLimits: rules
      .map((r) => r.rule)
      .filter((r) => r.doseLimit !== undefined && limits(r))
      .sort((x, y) => (x.doseLimit?.maxDailyMg ?? 0) - (y.doseLimit?.maxDailyMg ?? 0) || (x.id < y.id ? -1 : 1)),
    ...(sharedClass === undefined ? {} : { sharedClass }),
  };
}

function computeRulesBetween(xs: readonly string[], ys: readonly string[], knowledge: KnowledgeBase): CompiledDrugInteraction[] {
  let common: Map<string, CompiledDrugInteraction> | undefined;
  for (const x of xs) {
    const partners = knowledge.interactionIndex.get(x);
    for (const y of ys) {
      if (x === y) return [];
      const found = partners?.get(y);
      if (found === undefined) return [];
      if (common === undefined) common = new Map(found.map((r) => [r.rule.id, r]));
      else for (const id of [...common.keys()]) if (!found.some((r) => r.rule.id === id)) common.delete(id);
      if (common.size === 0) return [];
    }
  }
  return [...(common?.values() ?? [])].sort((r, s) => (r.rule.id < s.rule.id ? -1 : 1));
}

/** The smallest therapeutic class holding every ingredient of both exposures, when they share none. */
function computeSharedClass(a: Exposure, b: Exposure, memo: Memo): { readonly id: string; readonly name: string } | undefined {
  if (a.ingredients.some((x) => b.ingredients.includes(x))) return undefined;
  const first = a.ingredients[0];
  const candidates = first === undefined ? [] : (memo.therapeuticClasses.get(first) ?? []);
  const found = candidates.find((c) => within(a.ingredients, c.members) && within(b.ingredients, c.members));
  return found === undefined ? undefined : { id: found.id, name: found.name };
}

/** Severity first, then rule id: the order in which several rules about one pair are reported. */
export function byRuleSeverity<T extends { severity: Severity; id: string }>(a: T, b: T): number {
  return severityRank(b.severity) - severityRank(a.severity) || (a.id < b.id ? -1 : 1);
}

/** The drug–condition rules that hold for an exposure whatever member it stands for, once per target. */
export function conditionRulesFor(exposure: Exposure, knowledge: KnowledgeBase): readonly CompiledConditionInteraction[] {
  const memo = memoFor(knowledge);
  let rules = memo.conditionRules.get(exposure.item.target.key);
  if (rules === undefined) {
    const [first] = exposure.ingredients;
    rules = first === undefined ? [] : (knowledge.conditionRulesByIngredient.get(first) ?? []).filter((r) => within(exposure.ingredients, r.drugs));
    memo.conditionRules.set(exposure.item.target.key, rules);
  }
  return rules;
}
