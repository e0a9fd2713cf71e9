import { itemOf, type PlanItem, planItems } from '../plan/types.js';
import type { GuidelineSource } from '../schema/generated/report.js';
import { isPossible, itemParticipant } from './exposures.js';
import { relatedPairs } from './relations.js';
import { conflictId } from './ids.js';
import { DEFINITE, possibly, type Detector, type Finding } from './types.js';

/** STOPP/START version 3: any duplicate drug class prescription. */
const STOPP: GuidelineSource = {
  guideline: 'STOPP/START v3',
  section: 'Section A: duplicate drug class prescription',
  url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC10447584',
  title: 'STOPP/START criteria for potentially inappropriate prescribing in older people: version 3',
};

/** The same ingredient in two current medicines: a taken item with two current medicines behind it, as a finding added to the list. */
function sameIngredient(item: PlanItem, findings: Finding[]): void {
  if (item.action !== 'take' || item.provenance.length < 2) return;
  const medicines = item.provenance.filter((p) => p.from === 'current-medication');
  if (medicines.length < 2) return;
  findings.push({
    id: conflictId('duplicate', 'same-ingredient', [item.target.key]),
    kind: 'duplicate',
    severity: 'moderate',
    certainty: 'definite',
    settledBy: undefined,
    mitigated: undefined,
    rule: undefined,
    participants: [itemParticipant(item)],
    explanation: `${item.target.name} is in ${medicines.length} current medicines (${medicines.map((m) => m.text ?? m.location ?? '').join('; ')}): check the total dose and whether both are intended`,
    sources: [STOPP],
    items: [item.id],
    management: [],
    mitigatedBy: [],
  });
}

/**
 * Duplicate therapy: the same ingredient in two current medicines (co-codamol with paracetamol
 * tablets), or two different members of one therapeutic class (two SSRIs, simvastatin with a
 * recommendation to start atorvastatin).
 */
export const duplicate: Detector = {
  kind: 'duplicate',
  detect(context) {
    const { plan } = context;
    const findings: Finding[] = [];
    if (context.focus === undefined) {
      const items = planItems(plan);
      for (let i = 0; i < items.length; i++) sameIngredient(items[i] as PlanItem, findings);
    } else {
      // The focused ids read one by one: a list of their items made garbage in every re-check.
      for (const id of context.focus.keys()) {
        const item = itemOf(plan, id);
        if (item !== undefined) sameIngredient(item, findings);
      }
    }
    for (const { a, b, relation } of relatedPairs(context)) {
      const shared = relation.sharedClass;
      if (shared === undefined) continue;
      const possible = isPossible(a.item) || isPossible(b.item);
      const { certainty, settledBy } = possible ? possibly(a.item.needs, b.item.needs) : DEFINITE;
      findings.push({
        id: conflictId('duplicate', shared.id, [a.item.target.key, b.item.target.key]),
        kind: 'duplicate',
        severity: 'moderate',
        certainty,
        settledBy,
        mitigated: undefined,
        rule: shared.id,
        participants: [itemParticipant(a.item), itemParticipant(b.item)],
        explanation: `${a.item.target.name} and ${b.item.target.name} are both a ${shared.name}: duplicate therapy`,
        sources: [STOPP],
        items: [a.item.id, b.item.id],
        management: [],
        mitigatedBy: [],
      });
    }
    return findings;
  },
};
