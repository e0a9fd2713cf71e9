import type { Management } from '../schema/generated/knowledge.js';
import { ingredientsOf, type KnowledgeBase } from '../knowledge/types.js';
import type { DrugRef } from '../schema/generated/common.js';
import { fact } from '../facts.js';
import { type CarePlan, itemList, type PlanItem } from '../plan/types.js';
import { exposuresOf, within } from './exposures.js';

/** The text that marks a plan item whose doses a resolution staggered. */
export const STAGGER_MARK = 'Stagger: ';

/** The item itself when a resolution added or changed it (its provenance says so), undefined otherwise. */
function addedByResolution(item: PlanItem): PlanItem | undefined {
  // A loop: asked of every item of every plan, a callback to `some` was made each time.
  for (let i = 0; i < item.provenance.length; i++) if ((item.provenance[i] as PlanItem['provenance'][number]).from === 'resolution') return item;
  return undefined;
}

/** The items of a plan that a resolution added or changed, once per plan. */
const resolutionItems = itemList(addedByResolution, (item) => item);

/** Per plan: whether a mitigating drug or class is in it, by the rule's mitigation (compiled once, so one object each); made when first asked. */
const coveredIn = fact((_plan: CarePlan) => new Map<DrugRef, boolean>());

/** Whether some drug the plan puts in is wholly within a mitigating drug or class (a PPI), remembered per plan. */
function covers(plan: CarePlan, mitigation: DrugRef, knowledge: KnowledgeBase): boolean {
  const covered = coveredIn(plan);
  let found = covered.get(mitigation);
  if (found === undefined) {
    const helpful = ingredientsOf(knowledge, mitigation);
    found = exposuresOf(plan, knowledge).some((e) => within(e.ingredients, helpful));
    covered.set(mitigation, found);
  }
  return found;
}

/**
 * Whether an item a resolution added carries out a piece of management: monitoring its test, a
 * referral, or staggered doses of one of the conflict's items.
 */
function carriesOut(item: PlanItem, m: Management, itemIds: readonly string[]): boolean {
  switch (m.strategy) {
    case 'monitor':
      return m.test !== undefined && item.action === 'monitor' && item.target.id === m.test;
    case 'refer':
      return item.action === 'refer';
    case 'separate-doses':
      return itemIds.includes(item.id) && item.provenance.some((p) => p.from === 'resolution' && p.text?.startsWith(STAGGER_MARK) === true);
    default:
      return false;
  }
}

/**
 * Whether the plan already carries what a rule names as its mitigation: a drug for
 * `add-mitigation` (a PPI for gastroprotection), a monitoring item for the rule's test, or a
 * referral that a resolution added for `refer`, or staggered doses of one of the conflict's items
 * for `separate-doses`. Such a conflict is kept and marked mitigated.
 */
export function isMitigated(plan: CarePlan, management: readonly Management[], knowledge: KnowledgeBase, itemIds: readonly string[]): boolean {
  if (management.length === 0) return false;
  const added = resolutionItems(plan, knowledge);
  // Indexed loops: asked for every conflict in every re-check, `for...of` allocated an iterator each time.
  for (let i = 0; i < management.length; i++) {
    const m = management[i] as Management;
    if (m.strategy === 'add-mitigation') {
      if (m.mitigation !== undefined && covers(plan, m.mitigation, knowledge)) return true;
      continue;
    }
    for (let j = 0; j < added.length; j++) if (carriesOut(added[j] as PlanItem, m, itemIds)) return true;
  }
  return false;
}
