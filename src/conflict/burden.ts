import type { GuidelineSource } from '../schema/generated/report.js';
import { type CarePlan, itemCounter } from '../plan/types.js';
import type { PatientRecord } from '../patient/record.js';
import { fact } from '../facts.js';
import { conflictId } from './ids.js';
import type { Detector, Finding } from './types.js';

/** NICE NG56 (multimorbidity): who may benefit from an approach that takes multimorbidity into account. */
const NG56: GuidelineSource = {
  guideline: 'NG56',
  section: '1.3 Identifying patients who may benefit from an approach to care that takes account of multimorbidity',
  url: 'https://www.nice.org.uk/guidance/ng56/chapter/Recommendations',
  title: 'Multimorbidity: clinical assessment and management',
};

/** The review activity that answers a burden conflict: a structured medication review with shared decisions. */
export const MEDICATION_REVIEW_KEY = 'activity:structured-medication-review';

/** The patient's current medicines (recognised or not), each different text once; once per record. */
const currentMedicines = fact((record: PatientRecord) => new Set(record.medications.filter((m) => m.current).map((m) => m.text.toLowerCase())).size);

/** Recommended drug starts that are certain and not already taken. */
const countStarts = itemCounter((i) => i.action === 'start' && i.status !== 'already-taking' && (i.target.type === 'ingredient' || i.target.type === 'class') && i.certainty === 'definite');

/** Items that arrange a structured medication review. */
const countReviews = itemCounter((i) => i.target.key === MEDICATION_REVIEW_KEY);

/** Regular medicines the plan implies: current medicines (recognised or not) and recommended starts not already taken. */
export function medicineCount(plan: CarePlan, record: PatientRecord): number {
  return currentMedicines(record) + countStarts(plan);
}

/**
 * Treatment burden: NICE NG56 singles out people on 15 or more regular medicines, and those on
 * 10 to 14 at higher risk of adverse events, for a multimorbidity approach with a medication
 * review. A structured medication review in the plan marks it mitigated.
 */
export const burden: Detector = {
  kind: 'burden',
  planWide: true,
  detect({ plan, view }): Finding[] {
    const count = medicineCount(plan, view.record);
    if (count < 10) return [];
    const reviewed = countReviews(plan) > 0;
    return [
      {
        id: conflictId('burden', 'ng56-medicines', ['plan']),
        kind: 'burden',
        severity: count >= 15 ? 'moderate' : 'mild',
        certainty: 'definite',
        mitigated: reviewed ? true : undefined,
        rule: 'ng56-medicines',
        participants: [{ type: 'plan', name: `${count} regular medicines`, provenance: [] }],
        explanation: `${count} regular medicines${count >= 15 ? ' (15 or more)' : ' (10 to 14)'}: NICE NG56 advises an approach to care that takes multimorbidity into account, with a review of medicines and treatment burden`,
        sources: [NG56],
        items: [],
        management: [],
        mitigatedBy: [],
      },
    ];
  },
};
