import { changeKey, removeItem } from '../edits.js';
import type { PlanItem } from '../../plan/types.js';
import type { Strategy } from '../types.js';
import { findingItems } from './helpers.js';

const weight = (item: PlanItem): number => (item.action === 'take' ? 4 : item.strength === 'offer' || item.strength === 'do-not-offer' ? 3 : item.strength === 'consider' ? 2 : 0);

/**
 * Drop the weaker recommendation: when a "consider" recommendation meets something stronger
 * (a current medicine, an "offer", a "do not offer", or a condition), leave the weaker one out.
 */
export const dropWeakerRecommendation: Strategy = {
  strategy: 'drop-weaker-recommendation',
  propose(finding, context) {
    const items = findingItems(finding, context);
    const strongest = Math.max(...items.map(weight), finding.kind === 'drug-condition' ? 4 : 0);
    return items
      .filter((item) => item.action !== 'take' && item.strength === 'consider' && weight(item) < strongest)
      .map((item) => {
        const description = `Leave out the weaker recommendation to ${item.action} ${item.target.name} (a "consider")`;
        return {
          strategy: 'drop-weaker-recommendation' as const,
          description,
          key: changeKey('drop-weaker-recommendation', description, item.id),
          change: (plan) => removeItem(plan, item.id),
          addedBurden: item.target.type === 'ingredient' || item.target.type === 'class' ? -1 : 0,
          evidence: 5,
          sources: [],
        };
      });
  },
};
