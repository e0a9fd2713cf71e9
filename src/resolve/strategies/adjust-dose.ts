import { planItem } from '../../plan/types.js';
import { changeKey, fromResolution, updateItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { evidenceOf, findingItems, NO_CANDIDATES, sourcesFor } from './helpers.js';

/** Adjust the dose to the limit the rule sets (simvastatin at most 20 mg a day with amlodipine; edoxaban at most 30 mg a day in moderate renal impairment). */
export const adjustDose: Strategy = {
  strategy: 'adjust-dose',
  propose(finding, context) {
    if (finding.kind !== 'dose') return NO_CANDIDATES;
    const rule = finding.rule === undefined ? undefined : (context.knowledge.drugInteractionById.get(finding.rule) ?? context.knowledge.conditionInteractionById.get(finding.rule))?.rule;
    const limit = rule?.doseLimit;
    const item = findingItems(finding, context).find((i) => i.target.id === limit?.ingredient);
    if (limit === undefined || item === undefined) return NO_CANDIDATES;
    const description = `Keep ${item.target.name} at no more than ${limit.maxDailyMg} mg a day`;
    return [{
      strategy: 'adjust-dose',
      description,
      key: changeKey('adjust-dose', description, item.id),
      change: (plan) =>
        updateItem(plan, item.id, (current) =>
          planItem(current, { dailyMg: limit.maxDailyMg, dose: `at most ${limit.maxDailyMg} mg a day`, provenance: [...current.provenance, fromResolution(description)] }),
        ),
      addedBurden: 0,
      evidence: evidenceOf(finding, 'adjust-dose'),
      sources: [...finding.sources, ...sourcesFor(finding, 'adjust-dose')].slice(0, 1),
    }];
  },
};
