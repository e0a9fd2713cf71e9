import { addItem, fromResolution, removeItem, resolutionItem } from '../edits.js';
import type { Candidate, Strategy } from '../types.js';
import { evidenceOf, findingItems, isDrugItem, sourcesFor } from './helpers.js';

/**
 * Avoid the combination, when the rule's source advises it: do not start the recommended drug,
 * or stop a current one (a recommendation is always preferred to a current medicine).
 */
export const avoid: Strategy = {
  strategy: 'avoid',
  propose(finding, context) {
    if (!finding.management.some((m) => m.strategy === 'avoid')) return [];
    const drugs = findingItems(finding, context).filter(isDrugItem);
    const recommended = drugs.filter((i) => i.action !== 'take');
    const choices = recommended.length > 0 ? recommended : drugs;
    return choices.map((item): Candidate => {
      const description = item.action === 'take' ? `Stop ${item.target.name}` : `Do not ${item.action} ${item.target.name}`;
      return {
        strategy: 'avoid',
        description,
        change: (plan) => {
          removeItem(plan, item.id);
          if (item.action === 'take') addItem(plan, resolutionItem('stop', item.target, description, { provenance: [...item.provenance, fromResolution(description)] }));
        },
        addedBurden: -1,
        evidence: evidenceOf(finding, 'avoid'),
        sources: sourcesFor(finding, 'avoid'),
      };
    });
  },
};
