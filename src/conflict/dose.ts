import { citation, mergedManagement, uniqueSources } from './drug-drug.js';
import { rulesBetween } from './relations.js';
import { exposurePairs, exposuresOf, isPossible, itemParticipant } from './exposures.js';
import { conflictId } from './ids.js';
import { certaintyOf, mergeNeeds, type Detector, type Finding } from './types.js';

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
      // Several limits for one pair: the strictest applies.
      const limited = rulesBetween(a, b, knowledge)
        .map((r) => r.rule)
        .filter((r) => r.doseLimit !== undefined && [a, b].some((e) => e.ingredients.length === 1 && e.ingredients[0] === r.doseLimit?.ingredient))
        .sort((x, y) => (x.doseLimit?.maxDailyMg ?? 0) - (y.doseLimit?.maxDailyMg ?? 0) || (x.id < y.id ? -1 : 1));
      const rule = limited[0];
      const limit = rule?.doseLimit;
      if (rule === undefined || limit === undefined) continue;
      const subject = a.ingredients[0] === limit.ingredient && a.ingredients.length === 1 ? a : b;
      const other = subject === a ? b : a;
      const daily = subject.item.dailyMg;
      if (daily !== undefined && daily <= limit.maxDailyMg) continue;
      const doseNeed = daily === undefined ? [{ kind: 'medication' as const, concept: limit.ingredient, message: `daily dose of ${subject.item.target.name} not known` }] : [];
      const possible = daily === undefined || isPossible(subject.item) || isPossible(other.item);
      const needs = mergeNeeds(doseNeed, subject.item.needs, other.item.needs);
      findings.push({
        id: conflictId('dose', undefined, [subject.item.target.key, other.item.target.key]),
        kind: 'dose',
        severity: rule.severity,
        ...certaintyOf(possible, needs),
        rule: rule.id,
        participants: [itemParticipant(subject.item), itemParticipant(other.item)],
        explanation: `${subject.item.target.name} ${daily === undefined ? 'at an unknown dose' : `at ${daily} mg a day`} with ${other.item.target.name}: at most ${limit.maxDailyMg} mg a day. ${rule.mechanism}`,
        sources: uniqueSources(limited.map((r) => citation(r.source))),
        items: [subject.item.id, other.item.id],
        management: mergedManagement(limited),
      });
    }
    return findings;
  },
};
