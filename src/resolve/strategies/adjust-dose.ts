import type { Strategy } from '../types.js';
import { evidenceOf, findingItems, sourcesFor } from './helpers.js';

/** Adjust the dose to the limit the rule sets (simvastatin at most 20 mg a day with amlodipine). */
export const adjustDose: Strategy = {
  strategy: 'adjust-dose',
  propose(finding, context) {
    if (finding.kind !== 'dose') return [];
    const rule = context.knowledge.drugInteractions.find((r) => r.rule.id === finding.rule)?.rule;
    const limit = rule?.doseLimit;
    const item = findingItems(finding, context).find((i) => i.target.id === limit?.ingredient);
    if (limit === undefined || item === undefined) return [];
    const description = `Keep ${item.target.name} at no more than ${limit.maxDailyMg} mg a day`;
    return [{
      strategy: 'adjust-dose',
      description,
      change: (draft) => {
        const target = draft.items.find((i) => i.id === item.id);
        if (target === undefined) return;
        target.dailyMg = limit.maxDailyMg;
        target.dose = `at most ${limit.maxDailyMg} mg a day`;
        target.provenance.push({ from: 'resolution', text: description });
      },
      addedBurden: 0,
      evidence: evidenceOf(finding, 'adjust-dose'),
      sources: [...finding.sources, ...sourcesFor(finding, 'adjust-dose')].slice(0, 1),
    }];
  },
};
