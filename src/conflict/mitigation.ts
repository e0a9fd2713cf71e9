import type { Management } from '../schema/generated/knowledge.js';
import { ingredientsOf, type KnowledgeBase } from '../knowledge/types.js';
import type { DrugRef } from '../schema/generated/common.js';
import { fact } from '../facts.js';
import { type CarePlan, itemList } from '../plan/types.js';
import { exposuresOf } from './exposures.js';

/** The text that marks a plan item whose doses a resolution staggered. */
export const STAGGER_MARK = 'Stagger: ';

/** The items of a plan that a resolution added or changed, once per plan. */
const resolutionItems = itemList((item) => (item.provenance.some((p) => p.from === 'resolution') ? item : undefined), (item) => item);

/** What resolutions added to a plan that can mitigate a conflict. */
interface ResolutionFacts {
  readonly monitored: ReadonlySet<string>;
  readonly staggered: ReadonlySet<string>;
  readonly referred: boolean;
}

/** A plan no resolution has changed (every merged plan): nothing added (shared, never changed). */
const NOTHING_ADDED: ResolutionFacts = { monitored: new Set(), staggered: new Set(), referred: false };

/** What a resolution added to a plan that can mitigate a conflict; once per plan. */
const resolutionFacts = fact((plan: CarePlan, knowledge: KnowledgeBase): ResolutionFacts => {
  const items = resolutionItems(plan, knowledge);
  if (items.length === 0) return NOTHING_ADDED;
  const monitored = new Set<string>();
  const staggered = new Set<string>();
  let referred = false;
  for (const item of items) {
    for (const p of item.provenance) {
      if (p.from !== 'resolution') continue;
      if (item.action === 'monitor' && item.target.id !== undefined) monitored.add(item.target.id);
      if (item.action === 'refer') referred = true;
      if (p.text?.startsWith(STAGGER_MARK) === true) staggered.add(item.id);
    }
  }
  return { monitored, staggered, referred };
});

/** Per plan: whether a mitigating drug or class is in it, by its key; made when first asked. */
const coveredIn = fact((_plan: CarePlan) => new Map<string, boolean>());

/** Whether some drug the plan puts in is wholly within a mitigating drug or class (a PPI), remembered per plan. */
function covers(plan: CarePlan, mitigation: DrugRef, knowledge: KnowledgeBase): boolean {
  const covered = coveredIn(plan);
  const key = 'ingredient' in mitigation ? `ingredient:${mitigation.ingredient}` : `class:${mitigation.class}`;
  let found = covered.get(key);
  if (found === undefined) {
    const helpful = ingredientsOf(knowledge, mitigation);
    found = exposuresOf(plan, knowledge).some((e) => e.ingredients.every((i) => helpful.has(i)));
    covered.set(key, found);
  }
  return found;
}

/**
 * Whether the plan already carries what a rule names as its mitigation: a drug for
 * `add-mitigation` (a PPI for gastroprotection), a monitoring item for the rule's test, or a
 * referral that a resolution added for `refer`, or staggered doses of one of the conflict's items
 * for `separate-doses`. Such a conflict is kept and marked mitigated.
 */
export function isMitigated(plan: CarePlan, management: readonly Management[], knowledge: KnowledgeBase, itemIds: readonly string[]): boolean {
  if (management.length === 0) return false;
  const facts = resolutionFacts(plan, knowledge);
  return management.some((m) => {
    if (m.strategy === 'add-mitigation' && m.mitigation !== undefined) return covers(plan, m.mitigation, knowledge);
    if (m.strategy === 'monitor' && m.test !== undefined) return facts.monitored.has(m.test);
    if (m.strategy === 'separate-doses') return itemIds.some((id) => facts.staggered.has(id));
    if (m.strategy === 'refer') return facts.referred;
    return false;
  });
}
