import type { Management } from '../schema/generated/knowledge.js';
import type { GuidelineSource, Participant } from '../schema/generated/report.js';
import type { PatientView } from '../pathway/view.js';
import { examinedExposures, isPossible, itemParticipant, within } from './exposures.js';
import { conflictId } from './ids.js';
import { compareText } from '../order.js';
import { DEFINITE, possibly, type Detector, type Finding } from './types.js';

/** The rule id of a recorded allergy, as conflicts and their ids name it. */
const RULE = 'recorded-allergy';

/** NICE on drug allergy: a drug or class a person is allergic to is to be avoided, and prescriptions say which. */
const SOURCES: readonly GuidelineSource[] = Object.freeze([
  {
    guideline: 'CG183',
    section: '1.2 Documenting and sharing information with other healthcare professionals; 1.4 Non-specialist management',
    url: 'https://www.nice.org.uk/guidance/cg183/chapter/1-Recommendations',
    title: 'Drug allergy: diagnosis and management',
  },
  {
    guideline: 'QS97',
    section: 'Statement 6: drugs or drug classes to avoid on prescriptions',
    url: 'https://www.nice.org.uk/guidance/qs97/chapter/Quality-statements',
    title: 'Drug allergy',
  },
]);

/** What to do: keep the drug out; substitution within the class is not offered, since a class often shares the allergy. */
const MANAGEMENT: readonly Management[] = Object.freeze([
  { strategy: 'avoid', detail: 'Do not give a drug the person is recorded as allergic to; check the recorded reaction and choose from another class.' },
]);

/** No management marks such a conflict mitigated. */
const NONE: readonly Management[] = Object.freeze([]);

/** The recorded allergy as a conflict participant, with each record that rules the drug out. */
function allergyParticipant(name: string, ingredients: readonly string[], view: PatientView): Participant {
  // By location, so the order of the input never shows.
  const records = view.record.allergies.filter((a) => a.ingredients.some((id) => ingredients.includes(id))).sort((a, b) => compareText(a.location, b.location));
  return { type: 'condition', name: `recorded allergy or intolerance to ${name}`, provenance: records.map((r) => ({ from: 'patient-record', location: r.location, text: r.text })) };
}

/**
 * A drug the plan puts in that the patient is recorded as allergic or intolerant to
 * (AllergyIntolerance, or a native patient's allergies): a contraindication. A class
 * recommendation meets it only when every member is an allergen, since another member can be
 * chosen. Reported as a drug–condition conflict with the allergy as the condition.
 */
export const allergy: Detector = {
  kind: 'drug-condition',
  detect(context) {
    const { view } = context;
    if (view.allergens.size === 0) return [];
    const findings: Finding[] = [];
    for (const { item, ingredients } of examinedExposures(context)) {
      if (!within(ingredients, view.allergens)) continue;
      const { certainty, settledBy } = isPossible(item) ? possibly(item.needs) : DEFINITE;
      findings.push({
        id: conflictId('drug-condition', RULE, [item.target.key]),
        kind: 'drug-condition',
        severity: 'contraindicated',
        certainty,
        settledBy,
        mitigated: undefined,
        rule: RULE,
        participants: [itemParticipant(item), allergyParticipant(item.target.name, ingredients, view)],
        explanation: `${item.target.name} with a recorded allergy or intolerance to it: giving a drug the person has reacted to risks the reaction again, anaphylaxis at worst.`,
        sources: SOURCES,
        items: [item.id],
        management: MANAGEMENT,
        mitigatedBy: NONE,
      });
    }
    return findings;
  },
};
