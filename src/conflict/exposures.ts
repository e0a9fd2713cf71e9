import type { Participant, Provenance } from '../schema/generated/report.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { itemIngredients } from '../plan/merge.js';
import { type CarePlan, EXPOSING_ACTIONS, type PlanItem, planItems } from '../plan/types.js';

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

const byPlan = new WeakMap<CarePlan, readonly Exposure[]>();
const byItem = new WeakMap<PlanItem, Exposure | null>();

/** The exposure of one item, or null; remembered per item object (a patched plan reuses the unchanged items). */
function exposureOf(item: PlanItem, knowledge: KnowledgeBase): Exposure | null {
  if (!EXPOSING_ACTIONS.has(item.action) || item.status === 'already-taking' || (item.target.type !== 'ingredient' && item.target.type !== 'class')) return null;
  let exposure = byItem.get(item);
  if (exposure === undefined) {
    const ingredients = [...itemIngredients(item, knowledge)].sort();
    exposure = ingredients.length > 0 ? { item, ingredients } : null;
    byItem.set(item, exposure);
  }
  return exposure;
}

/** Every drug exposure of a plan, computed once per plan. */
export function exposuresOf(plan: CarePlan, knowledge: KnowledgeBase): readonly Exposure[] {
  let exposures = byPlan.get(plan);
  if (exposures === undefined) {
    exposures = planItems(plan).map((item) => exposureOf(item, knowledge)).filter((e): e is Exposure => e !== null);
    byPlan.set(plan, exposures);
  }
  return exposures;
}

/** A plan item as a conflict participant: its generic name and provenance (the plan's own frozen list, shared). */
export function itemParticipant(item: PlanItem): Participant {
  return { type: item.action === 'take' ? 'medication' : 'recommendation', name: item.target.name, planItem: item.id, provenance: item.provenance as Provenance[] };
}

/** Whether an item hinges on unknown data. */
export function isPossible(item: PlanItem): boolean {
  return item.certainty === 'possible';
}
