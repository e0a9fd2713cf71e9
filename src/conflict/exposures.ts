import type { Participant, Provenance } from '../schema/generated/report.js';
import { fact } from '../facts.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { itemIngredients } from '../plan/merge.js';
import { EXPOSING_ACTIONS, itemList, type PlanItem } from '../plan/types.js';

/**
 * A drug the plan puts in the patient's body: a current medicine or a recommendation to start
 * or continue one that the patient does not already take. A class recommendation stands for
 * whichever member is chosen, so a conflict holds for it only if it holds for every member.
 */
export interface Exposure {
  /** The plan item. */
  readonly item: PlanItem;
  /** The ingredients it may be. */
  readonly ingredients: readonly string[];
  /** Its target's number in the knowledge base, given when the target is first met: relations between targets are kept in a table by it. */
  readonly targetNumber: number;
}

/** Whether every ingredient a drug may be is among these (a drug within a class, a side of a rule, a mitigation). */
export function within(ingredients: readonly string[], members: ReadonlySet<string>): boolean {
  // Indexed: asked for every drug against every advice and rule in each re-check, `for...of` allocated an iterator each time.
  for (let i = 0; i < ingredients.length; i++) if (!members.has(ingredients[i] as string)) return false;
  return true;
}

/** What a drug target stands for in one knowledge base: its ingredients in order (a shared list, never changed) and its number. */
interface KnownTarget {
  readonly ingredients: readonly string[];
  readonly number: number;
}

/** Per knowledge base: each drug target met, by target key, numbered in the order met. */
const knownTargets = fact((_knowledge: KnowledgeBase) => new Map<string, KnownTarget>());

/** The drug target of an item, made once per target. */
function knownTargetOf(item: PlanItem, knowledge: KnowledgeBase): KnownTarget {
  const byKey = knownTargets(knowledge);
  let target = byKey.get(item.target.key);
  if (target === undefined) byKey.set(item.target.key, (target = { ingredients: Object.freeze([...itemIngredients(item, knowledge)].sort()), number: byKey.size }));
  return target;
}

/** A drug item as an exposure, whatever its action (an alternative a resolution might start, say). */
export function drugExposure(item: PlanItem, knowledge: KnowledgeBase): Exposure {
  const { ingredients, number } = knownTargetOf(item, knowledge);
  return { item, ingredients, targetNumber: number };
}

/** The exposure of one item, or undefined when it puts no drug in. */
function exposureOf(item: PlanItem, knowledge: KnowledgeBase): Exposure | undefined {
  if (!EXPOSING_ACTIONS.has(item.action) || item.status === 'already-taking' || (item.target.type !== 'ingredient' && item.target.type !== 'class')) return undefined;
  const exposure = drugExposure(item, knowledge);
  return exposure.ingredients.length > 0 ? exposure : undefined;
}

/** Every drug exposure of a plan, in canonical order, once per plan. */
export const exposuresOf = itemList(exposureOf, (e) => e.item);

/** A plan item as a conflict participant: its generic name and provenance (the plan's own frozen list, shared). */
export function itemParticipant(item: PlanItem): Participant {
  return { type: item.action === 'take' ? 'medication' : 'recommendation', name: item.target.name, planItem: item.id, provenance: item.provenance as Provenance[] };
}

/** Whether an item hinges on unknown data. */
export function isPossible(item: PlanItem): boolean {
  return item.certainty === 'possible';
}
