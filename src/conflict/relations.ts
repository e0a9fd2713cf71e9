import type { CompiledConditionInteraction, CompiledDrugInteraction, KnowledgeBase } from '../knowledge/types.js';
import type { Exposure } from './exposures.js';

/**
 * Relations between plan targets depend only on the knowledge base and the targets' keys, so
 * they are computed once per pair of keys and remembered: re-checking a patched plan, or the
 * next patient, looks them up instead of walking class members again.
 */
interface Memo {
  readonly drugRules: Map<string, readonly CompiledDrugInteraction[]>;
  readonly conditionRules: Map<string, readonly CompiledConditionInteraction[]>;
  readonly sharedClass: Map<string, { readonly id: string; readonly name: string } | null>;
  readonly therapeuticClasses: ReadonlyMap<string, readonly { readonly id: string; readonly name: string; readonly members: ReadonlySet<string> }[]>;
}

const memos = new WeakMap<KnowledgeBase, Memo>();

function memoFor(knowledge: KnowledgeBase): Memo {
  let memo = memos.get(knowledge);
  if (memo === undefined) {
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
    memo = { drugRules: new Map(), conditionRules: new Map(), sharedClass: new Map(), therapeuticClasses };
    memos.set(knowledge, memo);
  }
  return memo;
}

function pairKey(a: Exposure, b: Exposure): string {
  const x = a.item.target.key;
  const y = b.item.target.key;
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

/**
 * The drug–drug rules that hold between two exposures whatever member each class stands for:
 * looked up in the ingredient-pair index (never by scanning the rules), once per pair of targets.
 */
export function rulesBetween(a: Exposure, b: Exposure, knowledge: KnowledgeBase): readonly CompiledDrugInteraction[] {
  const memo = memoFor(knowledge);
  const key = pairKey(a, b);
  let rules = memo.drugRules.get(key);
  if (rules === undefined) {
    rules = computeRulesBetween(a.ingredients, b.ingredients, knowledge);
    memo.drugRules.set(key, rules);
  }
  return rules;
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

/** The drug–condition rules that hold for an exposure whatever member it stands for, once per target. */
export function conditionRulesFor(exposure: Exposure, knowledge: KnowledgeBase): readonly CompiledConditionInteraction[] {
  const memo = memoFor(knowledge);
  let rules = memo.conditionRules.get(exposure.item.target.key);
  if (rules === undefined) {
    const [first, ...rest] = exposure.ingredients;
    rules = first === undefined ? [] : (knowledge.conditionRulesByIngredient.get(first) ?? []).filter((r) => rest.every((i) => r.drugs.has(i)));
    memo.conditionRules.set(exposure.item.target.key, rules);
  }
  return rules;
}

/** The smallest therapeutic class holding every ingredient of both exposures (duplicate therapy), once per pair of targets. */
export function sharedTherapeuticClass(a: Exposure, b: Exposure, knowledge: KnowledgeBase): { readonly id: string; readonly name: string } | undefined {
  const memo = memoFor(knowledge);
  const key = pairKey(a, b);
  let shared = memo.sharedClass.get(key);
  if (shared === undefined) {
    const first = a.ingredients[0];
    const candidates = first === undefined ? [] : (memo.therapeuticClasses.get(first) ?? []);
    const found = candidates.find((c) => a.ingredients.every((i) => c.members.has(i)) && b.ingredients.every((i) => c.members.has(i)));
    shared = found === undefined ? null : { id: found.id, name: found.name };
    memo.sharedClass.set(key, shared);
  }
  return shared ?? undefined;
}
