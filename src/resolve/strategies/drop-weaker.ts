import { changeKey, removeItem } from '../edits.js';
import type { PlanItem } from '../../plan/types.js';
import type { Candidate, Strategy } from '../types.js';
import { NO_CANDIDATES, NO_SOURCES, perItem } from './helpers.js';
import { appendTo } from '../../order.js';

const weight = (item: PlanItem): number => (item.action === 'take' ? 4 : item.strength === 'offer' || item.strength === 'do-not-offer' ? 3 : item.strength === 'consider' ? 2 : 0);

/** The candidate that leaves out a weaker recommendation, made once per item id and wording. */
const leaveOut = perItem((item): Candidate => {
  const { id } = item;
  const description = `Leave out the weaker recommendation to ${item.action} ${item.target.name} (a "consider")`;
  return Object.freeze<Candidate>({
    strategy: 'drop-weaker-recommendation',
    description,
    key: changeKey('drop-weaker-recommendation', description, id),
    change: (editor) => removeItem(editor, id),
    addedBurden: item.target.type === 'ingredient' || item.target.type === 'class' ? -1 : 0,
    evidence: 5,
    sources: NO_SOURCES,
  });
});

/**
 * Drop the weaker recommendation: when a "consider" recommendation meets something stronger
 * (a current medicine, an "offer", a "do not offer", or a condition), leave the weaker one out.
 */
export const dropWeakerRecommendation: Strategy = {
  strategy: 'drop-weaker-recommendation',
  propose(finding, { plan, knowledge }) {
    let strongest = finding.kind === 'drug-condition' ? 4 : 0;
    let weakest = Number.POSITIVE_INFINITY;
    // Indexed loops and a list made when the first candidate comes: asked of every conflict of a check.
    for (let i = 0; i < finding.items.length; i++) {
      const item = plan.items[finding.items[i] as string];
      if (item === undefined) continue;
      strongest = Math.max(strongest, weight(item));
      if (item.action !== 'take' && item.strength === 'consider') weakest = Math.min(weakest, weight(item));
    }
    if (weakest >= strongest) return NO_CANDIDATES;
    let candidates: Candidate[] | undefined;
    for (let i = 0; i < finding.items.length; i++) {
      const item = plan.items[finding.items[i] as string];
      if (item === undefined || item.action === 'take' || item.strength !== 'consider' || weight(item) >= strongest) continue;
      candidates = appendTo(candidates, leaveOut(item, knowledge));
    }
    return candidates ?? NO_CANDIDATES;
  },
};
