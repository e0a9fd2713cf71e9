import type { DrugInteraction, Management } from '../schema/generated/knowledge.js';
import type { GuidelineSource } from '../schema/generated/report.js';
import { citation, leadingManagement, mergedManagement, uniqueSources } from './citations.js';
import { isPossible, itemParticipant } from './exposures.js';
import { relatedPairs, type PairRelation } from './relations.js';
import { conflictId } from './ids.js';
import { isMitigated } from './mitigation.js';
import { DEFINITE, possibly, type Detector, type Finding } from './types.js';

/** What an interaction between two targets reports whatever the patient: worked out once per pair of targets. */
interface Interaction {
  readonly id: string;
  readonly primary: DrugInteraction;
  /** What marks the conflict mitigated (see `leadingManagement`). */
  readonly mitigatedBy: readonly Management[];
  readonly mechanism: string;
  readonly sources: readonly GuidelineSource[];
  readonly management: readonly Management[];
}

const interactions = new WeakMap<PairRelation, Interaction | null>();

function interactionOf(relation: PairRelation, keys: readonly [string, string]): Interaction | null {
  let found = interactions.get(relation);
  if (found === undefined) {
    const [primary, ...others] = relation.interactions;
    const also = others.filter((r) => r.mechanism !== primary?.mechanism).map((r) => r.mechanism);
    found = primary === undefined ? null : {
      id: conflictId('drug-drug', undefined, keys),
      primary,
      mechanism: `${primary.mechanism}${also.length > 0 ? ` Also: ${also.join(' ')}` : ''}`,
      sources: uniqueSources(relation.interactions.map((r) => citation(r.source))),
      management: mergedManagement(relation.interactions),
      mitigatedBy: leadingManagement(relation.interactions),
    };
    interactions.set(relation, found);
  }
  return found;
}

/**
 * Drug–drug interactions between every pair of drugs the plan puts together: one conflict per
 * pair, carrying every rule that applies (the most severe decides the severity and leads the
 * explanation). Dose-limited rules are left to the dose detector.
 */
export const drugDrug: Detector = {
  kind: 'drug-drug',
  detect(context) {
    const { plan, knowledge } = context;
    const findings: Finding[] = [];
    for (const { a, b, relation } of relatedPairs(context)) {
      const interaction = interactionOf(relation, [a.item.target.key, b.item.target.key]);
      if (interaction === null) continue;
      const { primary } = interaction;
      const { certainty, settledBy } = isPossible(a.item) || isPossible(b.item) ? possibly(a.item.needs, b.item.needs) : DEFINITE;
      const items = [a.item.id, b.item.id];
      findings.push({
        id: interaction.id,
        kind: 'drug-drug',
        severity: primary.severity,
        certainty,
        settledBy,
        mitigated: isMitigated(plan, interaction.mitigatedBy, knowledge, items) ? true : undefined,
        rule: primary.id,
        participants: [itemParticipant(a.item), itemParticipant(b.item)],
        explanation: `${a.item.target.name} with ${b.item.target.name}: ${interaction.mechanism}`,
        sources: interaction.sources,
        items,
        management: interaction.management,
        mitigatedBy: interaction.mitigatedBy,
      });
    }
    return findings;
  },
};
