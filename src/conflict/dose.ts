import { citation } from './drug-drug.js';
import { rulesBetween } from './relations.js';
import { exposurePairs, exposuresOf, isPossible, itemParticipant } from './exposures.js';
import { conflictId } from './ids.js';
import { mergeNeeds, type Detector, type Finding } from './types.js';

/**
 * Dose limits that an interaction sets (simvastatin at most 20 mg a day with amlodipine): a
 * breach when the daily dose is known and above the limit, a possible breach naming the
 * missing dose when it is not known, nothing when it is within the limit.
 */
export const dose: Detector = {
  kind: 'dose',
  detect(context) {
    const { plan, knowledge } = context;
    const findings: Finding[] = [];
    const exposures = exposuresOf(plan, knowledge);
    for (const [a, b] of exposurePairs(exposures, context.focus)) {
      for (const { rule } of rulesBetween(a, b, knowledge)) {
        const limit = rule.doseLimit;
        if (limit === undefined) continue;
        const limited = [a, b].find((e) => e.ingredients.length === 1 && e.ingredients[0] === limit.ingredient);
        const other = limited === a ? b : a;
        if (limited === undefined) continue;
        const daily = limited.item.dailyMg;
        if (daily !== undefined && daily <= limit.maxDailyMg) continue;
        const doseNeed = daily === undefined ? [{ kind: 'medication' as const, concept: limit.ingredient, message: `daily dose of ${limited.item.target.name} not known` }] : [];
        const possible = daily === undefined || isPossible(limited.item) || isPossible(other.item);
        const needs = mergeNeeds(doseNeed, limited.item.needs, other.item.needs);
        findings.push({
          id: conflictId('dose', rule.id, [limited.item.target.key, other.item.target.key]),
          kind: 'dose',
          severity: rule.severity,
          certainty: possible ? 'possible' : 'definite',
          ...(possible && needs.length > 0 ? { settledBy: needs } : {}),
          rule: rule.id,
          participants: [itemParticipant(limited.item), itemParticipant(other.item)],
          explanation: `${limited.item.target.name} ${daily === undefined ? 'at an unknown dose' : `at ${daily} mg a day`} with ${other.item.target.name}: at most ${limit.maxDailyMg} mg a day. ${rule.mechanism}`,
          sources: [citation(rule.source)],
          items: [limited.item.id, other.item.id],
          management: rule.management,
        });
      }
    }
    return findings;
  },
};
