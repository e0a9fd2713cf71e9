import { citation, mergedManagement, uniqueSources } from './citations.js';
import { relatedPairs } from './relations.js';
import { isPossible, itemParticipant } from './exposures.js';
import { conflictId } from './ids.js';
import { DEFINITE, possibly, type Detector, type Finding } from './types.js';

/**
 * Dose limits that an interaction sets (simvastatin at most 20 mg a day with amlodipine): a
 * breach when the daily dose is known and above the limit, a possible breach naming the
 * missing dose when it is not known, nothing when it is within the limit.
 */
export const dose: Detector = {
  kind: 'dose',
  detect(context) {
    const findings: Finding[] = [];
    for (const { a, b, relation } of relatedPairs(context)) {
      // Several limits for one pair: the strictest applies.
      const limited = relation.doseLimits;
      const rule = limited[0];
      const limit = rule?.doseLimit;
      if (rule === undefined || limit === undefined) continue;
      const subject = a.ingredients[0] === limit.ingredient && a.ingredients.length === 1 ? a : b;
      const other = subject === a ? b : a;
      const daily = subject.item.dailyMg;
      if (daily !== undefined && daily <= limit.maxDailyMg) continue;
      const doseNeed = daily === undefined ? [{ kind: 'medication' as const, concept: limit.ingredient, message: `daily dose of ${subject.item.target.name} not known` }] : [];
      const possible = daily === undefined || isPossible(subject.item) || isPossible(other.item);
      const { certainty, settledBy } = possible ? possibly(doseNeed, subject.item.needs, other.item.needs) : DEFINITE;
      findings.push({
        id: conflictId('dose', undefined, [subject.item.target.key, other.item.target.key]),
        kind: 'dose',
        severity: rule.severity,
        certainty,
        settledBy,
        mitigated: undefined,
        rule: rule.id,
        participants: [itemParticipant(subject.item), itemParticipant(other.item)],
        explanation: `${subject.item.target.name} ${daily === undefined ? 'at an unknown dose' : `at ${daily} mg a day`} with ${other.item.target.name}: at most ${limit.maxDailyMg} mg a day. ${rule.mechanism}`,
        sources: uniqueSources(limited.map((r) => citation(r.source))),
        items: [subject.item.id, other.item.id],
        management: mergedManagement(limited),
        mitigatedBy: [],
      });
    }
    return findings;
  },
};
