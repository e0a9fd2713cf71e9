import { hasCondition } from '../pathway/has-condition.js';
import { citation, mergedManagement, uniqueSources } from './citations.js';
import { conditionDoseLimitsOf, conditionParticipant } from './drug-condition.js';
import { relatedPairs } from './relations.js';
import { examinedExposures, isPossible, itemParticipant } from './exposures.js';
import { conflictId } from './ids.js';
import { DEFINITE, possibly, type DetectContext, type Detector, type Finding } from './types.js';

/**
 * Dose limits that an interaction sets (simvastatin at most 20 mg a day with amlodipine) or a
 * condition sets (edoxaban at most 30 mg a day when creatinine clearance is 50 mL/min or less):
 * a breach when the daily dose is known and above the limit, a possible breach naming the
 * missing dose when it is not known, nothing when it is within the limit.
 */
export const dose: Detector = {
  kind: 'dose',
  detect(context) {
    const findings: Finding[] = conditionDoseBreaches(context);
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

/** Breaches of the dose limits that conditions set, for the drugs a check examines (see `dose`). */
function conditionDoseBreaches(context: DetectContext): Finding[] {
  const { view, knowledge } = context;
  const findings: Finding[] = [];
  for (const exposure of examinedExposures(context)) {
    for (const limited of conditionDoseLimitsOf(exposure, knowledge)) {
      // A rule's limit is on its own ingredient (the knowledge compiler checks it), so this exposure is of that ingredient alone.
      const limit = limited.primary.doseLimit;
      if (limit === undefined) continue;
      const has = hasCondition(limited.concept, view);
      const { item } = exposure;
      const daily = item.dailyMg;
      if (has.value === false || (daily !== undefined && daily <= limit.maxDailyMg)) continue;
      const doseNeed = daily === undefined ? [{ kind: 'medication' as const, concept: limit.ingredient, message: `daily dose of ${item.target.name} not known` }] : [];
      const possible = daily === undefined || has.value === 'unknown' || isPossible(item);
      const { certainty, settledBy } = possible ? possibly(doseNeed, has.needs, item.needs) : DEFINITE;
      findings.push({
        id: limited.id,
        kind: 'dose',
        severity: limited.primary.severity,
        certainty,
        settledBy,
        mitigated: undefined,
        rule: limited.primary.id,
        participants: [itemParticipant(item), conditionParticipant(limited.concept, view)],
        explanation: `${item.target.name} ${daily === undefined ? 'at an unknown dose' : `at ${daily} mg a day`} with ${limited.conditionName}: at most ${limit.maxDailyMg} mg a day. ${limited.mechanism}`,
        sources: limited.sources,
        items: [item.id],
        management: limited.management,
        mitigatedBy: [],
      });
    }
  }
  return findings;
}
