import { drugTarget } from '../../plan/merge.js';
import type { PlanItem } from '../../plan/types.js';
import type { Candidate, Strategy } from '../types.js';
import { replaceDrug } from '../edits.js';
import { evidenceOf, findingItems, sourcesFor } from './helpers.js';

/** How many members of a class are tried for one item. */
const MAX_TRIES = 8;

/**
 * Substitute within class: replace a drug in the conflict with another member of its smallest
 * therapeutic class that the plan does not already use (pantoprazole for omeprazole beside
 * clopidogrel, sertraline for citalopram beside a QT-prolonging drug). When the rule says which
 * side to replace, only that side is tried. Each candidate is verified by re-checking.
 */
export const substituteWithinClass: Strategy = {
  strategy: 'substitute-within-class',
  propose(finding, context) {
    if (finding.kind !== 'drug-drug' && finding.kind !== 'drug-condition' && finding.kind !== 'dose') return [];
    const { knowledge, plan } = context;
    const rule = finding.rule === undefined ? undefined : knowledge.drugInteractions.find((r) => r.rule.id === finding.rule);
    const side = finding.management.find((m) => m.strategy === 'substitute-within-class')?.replace;
    const used = new Set(plan.items.filter((i) => i.target.type === 'ingredient').map((i) => i.target.id));
    const candidates: Candidate[] = [];
    const items = findingItems(finding, context).filter((i): i is PlanItem & { target: { id: string } } => i.target.type === 'ingredient' && i.target.id !== undefined);
    for (const item of items) {
      if (side !== undefined && rule !== undefined && !(side === 'a' ? rule.a : rule.b).has(item.target.id)) continue;
      const classes = [...(knowledge.classesOf.get(item.target.id) ?? [])]
        .map((id) => knowledge.classes.get(id))
        .filter((c) => c?.definition.therapeuticClass === true)
        .sort((x, y) => (x?.members.size ?? 0) - (y?.members.size ?? 0));
      const smallest = classes[0];
      if (smallest === undefined) continue;
      const alternatives = [...smallest.members].filter((m) => !used.has(m)).sort().slice(0, MAX_TRIES);
      for (const alternative of alternatives) {
        const target = drugTarget({ ingredient: alternative }, knowledge);
        const verb = item.action === 'take' ? `Switch ${item.target.name} to ${target.name}` : `Choose ${target.name} instead of ${item.target.name}`;
        candidates.push({
          strategy: 'substitute-within-class',
          description: `${verb} (another ${smallest.definition.name})`,
          change: (draft) => replaceDrug(draft, item, target, verb),
          addedBurden: 0,
          evidence: evidenceOf(finding, 'substitute-within-class'),
          sources: sourcesFor(finding, 'substitute-within-class'),
        });
      }
    }
    return candidates;
  },
};
