import type { GuidelineSource } from '../schema/generated/report.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { exposuresOf, isPossible, itemParticipant, type Exposure } from './exposures.js';
import { conflictId } from './ids.js';
import { mergeNeeds, type Detector, type Finding } from './types.js';

/** STOPP/START version 3: any duplicate drug class prescription. */
const STOPP: GuidelineSource = {
  guideline: 'STOPP/START v3',
  section: 'Section A: duplicate drug class prescription',
  url: 'https://pmc.ncbi.nlm.nih.gov/articles/PMC10447584',
  title: 'STOPP/START criteria for potentially inappropriate prescribing in older people: version 3',
};

/** The smallest therapeutic class holding every ingredient of both exposures, if any. */
function sharedTherapeuticClass(a: Exposure, b: Exposure, knowledge: KnowledgeBase): { id: string; name: string; size: number } | undefined {
  let best: { id: string; name: string; size: number } | undefined;
  for (const [id, compiled] of knowledge.classes) {
    if (compiled.definition.therapeuticClass !== true) continue;
    if (!a.ingredients.every((i) => compiled.members.has(i)) || !b.ingredients.every((i) => compiled.members.has(i))) continue;
    if (best === undefined || compiled.members.size < best.size) best = { id, name: compiled.definition.name, size: compiled.members.size };
  }
  return best;
}

/**
 * Duplicate therapy: the same ingredient in two current medicines (co-codamol with paracetamol
 * tablets), or two different members of one therapeutic class (two SSRIs, simvastatin with a
 * recommendation to start atorvastatin).
 */
export const duplicate: Detector = {
  kind: 'duplicate',
  detect({ plan, knowledge }) {
    const findings: Finding[] = [];
    for (const item of plan.items) {
      const medicines = item.action === 'take' ? item.provenance.filter((p) => p.from === 'current-medication') : [];
      if (medicines.length < 2) continue;
      findings.push({
        id: conflictId('duplicate', 'same-ingredient', [item.target.key]),
        kind: 'duplicate',
        severity: 'moderate',
        certainty: 'definite',
        participants: [itemParticipant(item)],
        explanation: `${item.target.name} is in ${medicines.length} current medicines (${medicines.map((m) => m.text ?? m.location ?? '').join('; ')}): check the total dose and whether both are intended`,
        sources: [STOPP],
        items: [item.id],
        management: [],
      });
    }
    const exposures = exposuresOf(plan, knowledge);
    for (let i = 0; i < exposures.length; i++) {
      for (let j = i + 1; j < exposures.length; j++) {
        const a = exposures[i];
        const b = exposures[j];
        if (a === undefined || b === undefined || a.ingredients.some((x) => b.ingredients.includes(x))) continue;
        const shared = sharedTherapeuticClass(a, b, knowledge);
        if (shared === undefined) continue;
        const possible = isPossible(a.item) || isPossible(b.item);
        const needs = mergeNeeds(a.item.needs, b.item.needs);
        findings.push({
          id: conflictId('duplicate', shared.id, [a.item.target.key, b.item.target.key]),
          kind: 'duplicate',
          severity: 'moderate',
          certainty: possible ? 'possible' : 'definite',
          ...(possible && needs.length > 0 ? { settledBy: needs } : {}),
          rule: shared.id,
          participants: [itemParticipant(a.item), itemParticipant(b.item)],
          explanation: `${a.item.target.name} and ${b.item.target.name} are both a ${shared.name}: duplicate therapy`,
          sources: [STOPP],
          items: [a.item.id, b.item.id],
          management: [],
        });
      }
    }
    return findings;
  },
};
