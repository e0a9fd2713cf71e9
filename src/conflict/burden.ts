import type { GuidelineSource } from '../schema/generated/report.js';
import { type CarePlan, itemCounter } from '../plan/types.js';
import type { PatientRecord } from '../patient/record.js';
import { fact } from '../facts.js';
import { conflictId } from './ids.js';
import { deepFreeze } from '../schema/json.js';
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

/**
 * The patient's current regular medicines (recognised or not; not those taken only when needed,
 * nor short courses), each medicine once however often it is listed; once per record.
 */
const currentMedicines = fact((record: PatientRecord) => new Set(record.medications.filter(isRegular).map(sameMedicineKey)).size);

/**
 * What makes two listed medicines one: the same text, or for a medicine given without text (a
 * native patient may name ingredients alone) the same ingredients; one with neither is its own.
 */
function sameMedicineKey(medication: PatientRecord['medications'][number]): string {
  if (medication.text !== '') return `text:${medication.text.toLowerCase()}`;
  if (medication.ingredients.length > 0) return `ingredients:${medication.ingredients.map((i) => i.id).sort().join('+')}`;
  return `location:${medication.location}`;
}

/**
 * Whether a medication is current and taken regularly: not only when needed, and not a short
 * (acute) course, which is taken for the current order only (NICE NG56 counts regular medicines).
 */
export function isRegular(medication: PatientRecord['medications'][number]): boolean {
  return medication.current && medication.asNeeded !== true && medication.acute !== true;
}

/** The id of the burden conflict: one per plan, so the same in every check and re-check. */
const BURDEN_ID = conflictId('burden', 'ng56-medicines', ['plan']);

/** Recommended drug starts that are certain and not already taken. */
const countStarts = itemCounter((i) => i.action === 'start' && i.status !== 'already-taking' && (i.target.type === 'ingredient' || i.target.type === 'class') && i.certainty === 'definite');

/** Items that arrange a structured medication review. */
const countReviews = itemCounter((i) => i.target.key === MEDICATION_REVIEW_KEY);

/** Regular medicines the plan implies: current regular medicines (recognised or not) and recommended starts not already taken. */
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
    return count < 10 ? [] : [burdenFinding(count, countReviews(plan) > 0)];
  },
};

/** Burden findings by count and review: a re-check asks for one with every change it verifies. Frozen, since reports share them; as many as the medicine counts met. */
const burdenFindings = new Map<number, Finding>();

/** The burden finding of a plan with this many regular medicines, with or without a medication review; made once each. */
function burdenFinding(count: number, reviewed: boolean): Finding {
  const key = 2 * count + (reviewed ? 1 : 0);
  let finding = burdenFindings.get(key);
  if (finding === undefined) {
    finding = deepFreeze<Finding>({
      id: BURDEN_ID,
      kind: 'burden',
      severity: count >= 15 ? 'moderate' : 'mild',
      certainty: 'definite',
      settledBy: undefined,
      mitigated: reviewed ? true : undefined,
      rule: 'ng56-medicines',
      participants: [{ type: 'plan', name: `${count} regular medicines`, provenance: [] }],
      explanation: `${count} regular medicines${count >= 15 ? ' (15 or more)' : ' (10 to 14)'}: NICE NG56 advises an approach to care that takes multimorbidity into account, with a review of medicines and treatment burden`,
      sources: [NG56],
      items: [],
      management: [],
      mitigatedBy: [],
    });
    burdenFindings.set(key, finding);
  }
  return finding;
}
