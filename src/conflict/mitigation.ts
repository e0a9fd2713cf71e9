import type { Management } from '../schema/generated/knowledge.js';
import { ingredientsOf, type KnowledgeBase } from '../knowledge/types.js';
import { type CarePlan, planItems } from '../plan/types.js';
import { exposuresOf } from './exposures.js';

/**
 * Whether the plan already carries what a rule names as its mitigation: a drug for
 * `add-mitigation` (a PPI for gastroprotection), a monitoring item for the rule's test, or a
 * referral that a resolution added for `refer`, or staggered doses of one of the conflict's items
 * for `separate-doses`. Such a conflict is kept and marked mitigated.
 */
/** The text that marks a plan item whose doses a resolution staggered. */
export const STAGGER_MARK = 'Stagger: ';

export function isMitigated(plan: CarePlan, management: readonly Management[], knowledge: KnowledgeBase, itemIds: readonly string[]): boolean {
  const exposures = exposuresOf(plan, knowledge);
  return management.some((m) => {
    if (m.strategy === 'add-mitigation' && m.mitigation !== undefined) {
      const helpful = ingredientsOf(knowledge, m.mitigation);
      return exposures.some((e) => e.ingredients.every((i) => helpful.has(i)));
    }
    if (m.strategy === 'monitor' && m.test !== undefined) {
      return planItems(plan).some((i) => i.action === 'monitor' && i.target.id === m.test && i.provenance.some((p) => p.from === 'resolution'));
    }
    if (m.strategy === 'separate-doses') {
      return planItems(plan).some((i) => itemIds.includes(i.id) && i.provenance.some((p) => p.from === 'resolution' && p.text?.startsWith(STAGGER_MARK) === true));
    }
    if (m.strategy === 'refer') {
      return planItems(plan).some((i) => i.action === 'refer' && i.provenance.some((p) => p.from === 'resolution'));
    }
    return false;
  });
}
