import type { Participant, Provenance } from '../schema/generated/report.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { itemIngredients } from '../plan/merge.js';
import { EXPOSING_ACTIONS, type CarePlan, type PlanItem } from '../plan/types.js';

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
}

const cache = new WeakMap<CarePlan, readonly Exposure[]>();

/** Every drug exposure of a plan, computed once per plan. */
export function exposuresOf(plan: CarePlan, knowledge: KnowledgeBase): readonly Exposure[] {
  let exposures = cache.get(plan);
  if (exposures === undefined) {
    exposures = plan.items
      .filter((item) => EXPOSING_ACTIONS.has(item.action) && item.status !== 'already-taking' && (item.target.type === 'ingredient' || item.target.type === 'class'))
      .map((item) => ({ item, ingredients: [...itemIngredients(item, knowledge)].sort() }))
      .filter((e) => e.ingredients.length > 0);
    cache.set(plan, exposures);
  }
  return exposures;
}

/** A plan item as a conflict participant: its generic name and provenance. */
export function itemParticipant(item: PlanItem): Participant {
  return { type: item.action === 'take' ? 'medication' : 'recommendation', name: item.target.name, planItem: item.id, provenance: [...item.provenance] as Provenance[] };
}

/** Whether an item hinges on unknown data. */
export function isPossible(item: PlanItem): boolean {
  return item.certainty === 'possible';
}
