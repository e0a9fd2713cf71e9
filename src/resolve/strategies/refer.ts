import { addItem, changeKey, resolutionItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { evidenceOf, managementOf, sourcesFor } from './helpers.js';

/** Refer for specialist advice, when the rule's source says the combination needs it. */
export const refer: Strategy = {
  strategy: 'refer',
  propose(finding) {
    if (finding.mitigated === true) return [];
    return managementOf(finding, 'refer').slice(0, 1).map((m) => {
      const description = `Seek specialist advice: ${m.detail}`;
      return {
        strategy: 'refer' as const,
        description,
        key: changeKey('refer', description),
        change: (plan) => addItem(plan, resolutionItem('refer', { type: 'referral', key: 'referral:specialist-advice', name: 'specialist advice' }, description)),
        addedBurden: 1,
        evidence: evidenceOf(finding, 'refer'),
        sources: sourcesFor(finding, 'refer'),
      };
    });
  },
};
