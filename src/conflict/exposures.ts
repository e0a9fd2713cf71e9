import type { Participant, Provenance } from '../schema/generated/report.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { itemIngredients } from '../plan/merge.js';
import { fact } from '../facts.js';
import { type CarePlan, derivationOf, EXPOSING_ACTIONS, mergeByItem, type PlanItem, planItems } from '../plan/types.js';

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

/** The exposure of one item, or null when it puts no drug in. */
function exposureOf(item: PlanItem, knowledge: KnowledgeBase): Exposure | null {
  if (!EXPOSING_ACTIONS.has(item.action) || item.status === 'already-taking' || (item.target.type !== 'ingredient' && item.target.type !== 'class')) return null;
  const ingredients = [...itemIngredients(item, knowledge)].sort();
  return ingredients.length > 0 ? { item, ingredients } : null;
}

function exposuresAmong(items: readonly PlanItem[], knowledge: KnowledgeBase): Exposure[] {
  const exposures: Exposure[] = [];
  for (const item of items) {
    const exposure = exposureOf(item, knowledge);
    if (exposure !== null) exposures.push(exposure);
  }
  return exposures;
}

/** Every drug exposure of a plan, in canonical order, once per plan; a changed plan's come from its base's. */
export const exposuresOf = fact((plan: CarePlan, knowledge: KnowledgeBase): readonly Exposure[] => {
  const derivation = derivationOf(plan);
  if (derivation === undefined) return exposuresAmong(planItems(plan), knowledge);
  return mergeByItem(exposuresOf(derivation.base, knowledge), exposuresAmong(derivation.added, knowledge), derivation.changes, (e) => e.item);
});

/** A plan item as a conflict participant: its generic name and provenance (the plan's own frozen list, shared). */
export function itemParticipant(item: PlanItem): Participant {
  return { type: item.action === 'take' ? 'medication' : 'recommendation', name: item.target.name, planItem: item.id, provenance: item.provenance as Provenance[] };
}

/** Whether an item hinges on unknown data. */
export function isPossible(item: PlanItem): boolean {
  return item.certainty === 'possible';
}
