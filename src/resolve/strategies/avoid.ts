import { changeKey, removeItem, stopMedicine } from '../edits.js';
import type { Candidate, Strategy } from '../types.js';
import { appendTo } from '../../order.js';
import type { Management } from '../../schema/generated/knowledge.js';
import type { Finding } from '../../conflict/types.js';
import type { PlanItem } from '../../plan/types.js';
import { adviceIndex, type AdvisedChange, advisedItems, evidenceOf, findingItems, guidelineTreatment, isDrugItem, NO_CANDIDATES, NO_SOURCES, perItem, sourcesFor, UNADVISED } from './helpers.js';

/**
 * Stopping a current medicine, or leaving out a recommended drug: its words, key and edit, made
 * once per item id and wording. The item is read from the plan being changed, so the edit serves
 * every check.
 */
const keepOut = perItem((item): AdvisedChange => {
  const { id } = item;
  const current = item.action === 'take';
  const description = current ? `Stop ${item.target.name}` : `Do not ${item.action} ${item.target.name}`;
  return Object.freeze<AdvisedChange>({
    description,
    key: changeKey('avoid', description, id),
    change: (plan) => {
      const taken = plan.get(id);
      if (!current) removeItem(plan, id);
      else if (taken !== undefined) stopMedicine(plan, taken, description);
    },
  });
});

/** Whether a plan item is a recommendation rather than a current medicine. */
function isRecommended(item: PlanItem): boolean {
  return item.action !== 'take';
}

/** Whether a conflict's source advises avoiding a drug already taken, not only starting it (see `startOnly`). */
function advisesStopping(finding: Finding): boolean {
  for (let i = 0; i < finding.management.length; i++) {
    const m = finding.management[i] as Management;
    if (m.strategy === 'avoid' && m.startOnly !== true) return true;
  }
  return false;
}

/**
 * Avoid the combination when the rule's source advises it, or follow a pathway's advice to avoid
 * or stop a drug that the plan puts in: do not start the recommended drug, or stop a current one
 * (a recommendation is preferred to a current medicine). When the source names the drug to
 * avoid (the NSAID beside an SSRI), that drug is proposed too, even if current, and ranks by the
 * first advice naming it: avoiding the other drug also ends the conflict, but when no source
 * backs it, it ranks last among them and cites none. A current medicine is not proposed for
 * stopping when the source only advises against starting it (`startOnly`: metformin below an
 * eGFR of 45), or when a pathway recommends it for this patient.
 */
export const avoid: Strategy = {
  strategy: 'avoid',
  propose(finding, context) {
    const contradiction = finding.kind === 'contradiction';
    if (!contradiction && adviceIndex(finding, 'avoid') === -1) return NO_CANDIDATES;
    const stopAdvised = contradiction || advisesStopping(finding);
    const named = advisedItems(finding, 'avoid', context);
    const drugs = findingItems(finding, context).filter((i) => isDrugItem(i) && i.action !== 'avoid' && i.action !== 'stop');
    const anyRecommended = drugs.some(isRecommended);
    let candidates: Candidate[] | undefined;
    for (let i = 0; i < drugs.length; i++) {
      const item = drugs[i] as PlanItem;
      const current = item.action === 'take';
      if (anyRecommended && current && named?.has(item.id) !== true) continue;
      if (current && (!stopAdvised || guidelineTreatment(item, context))) continue;
      const { description, key, change } = keepOut(item, context.knowledge);
      const evidence = contradiction ? 0 : named === undefined ? evidenceOf(finding, 'avoid') : (named.get(item.id) ?? UNADVISED);
      candidates = appendTo(candidates, {
        strategy: 'avoid',
        description,
        key,
        change,
        addedBurden: -1,
        evidence,
        sources: contradiction ? finding.sources : evidence === UNADVISED ? NO_SOURCES : sourcesFor(finding, 'avoid'),
      });
    }
    return candidates ?? NO_CANDIDATES;
  },
};
