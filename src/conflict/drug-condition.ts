import type { Participant, Provenance } from '../schema/generated/report.js';
import type { CompiledConditionInteraction } from '../knowledge/types.js';
import type { Evaluation } from '../pathway/evaluation.js';
import { hasCondition } from '../pathway/has-condition.js';
import type { PatientView } from '../pathway/view.js';
import { fact } from '../facts.js';
import { citation, leadingManagement, mergedManagement, uniqueSources } from './citations.js';
import { exposuresOf, isPossible, itemParticipant } from './exposures.js';
import { byRuleSeverity, conditionRulesFor } from './relations.js';
import { conflictId } from './ids.js';
import { isMitigated } from './mitigation.js';
import { itemInFocus, certaintyOf, mergeNeeds, type Detector, type Finding } from './types.js';

/** A view's condition participants already made, by concept. */
const conditionParticipants = fact((_view: PatientView) => new Map<string, Participant>());

/** The condition as a participant, with the records that establish it; once per view and concept. */
function conditionParticipant(concept: string, view: PatientView): Participant {
  const made = conditionParticipants(view);
  let participant = made.get(concept);
  if (participant === undefined) made.set(concept, (participant = makeConditionParticipant(concept, view)));
  return participant;
}

function makeConditionParticipant(concept: string, view: PatientView): Participant {
  const name = view.knowledge.conditions.get(concept)?.name ?? concept;
  const provenance: Provenance[] = view.record.conditions
    .filter((c) => c.state === 'present' && c.concepts.includes(concept))
    .map((c) => ({ from: 'patient-record', location: c.location, text: c.text }));
  return { type: 'condition', name, provenance: provenance.length > 0 ? provenance : [{ from: 'patient-record', text: `${name}: not recorded as a diagnosis; established or possible from observations` }] };
}

/** Drugs cautioned or contraindicated in a condition the patient has (or may have: a possible conflict naming the data that would settle it). */
export const drugCondition: Detector = {
  kind: 'drug-condition',
  detect(context) {
    const { plan, view, knowledge } = context;
    const findings: Finding[] = [];
    for (const exposure of exposuresOf(plan, knowledge)) {
      if (!itemInFocus(context, exposure.item.id)) continue;
      const byCondition = new Map<string, { rules: CompiledConditionInteraction['rule'][]; has: Evaluation }>();
      for (const { rule } of conditionRulesFor(exposure, knowledge)) {
        const entry = byCondition.get(rule.condition);
        if (entry !== undefined) {
          entry.rules.push(rule);
          continue;
        }
        const has = hasCondition(rule.condition, view);
        if (has.value !== false) byCondition.set(rule.condition, { rules: [rule], has });
      }
      for (const [concept, { rules, has }] of byCondition) {
        const sorted = [...rules].sort(byRuleSeverity);
        const primary = sorted[0];
        if (primary === undefined) continue;
        const possible = has.value === 'unknown' || isPossible(exposure.item);
        const needs = mergeNeeds(has.needs, exposure.item.needs);
        const condition = conditionParticipant(concept, view);
        const mitigatedBy = leadingManagement(sorted);
        findings.push({
          id: conflictId('drug-condition', undefined, [exposure.item.target.key, `condition:${concept}`]),
          kind: 'drug-condition',
          severity: primary.severity,
          ...certaintyOf(possible, needs),
          ...(isMitigated(plan, mitigatedBy, knowledge, [exposure.item.id]) ? { mitigated: true } : {}),
          rule: primary.id,
          participants: [itemParticipant(exposure.item), condition],
          explanation: `${exposure.item.target.name} with ${condition.name}: ${primary.mechanism}`,
          sources: uniqueSources(sorted.map((r) => citation(r.source))),
          items: [exposure.item.id],
          management: mergedManagement(sorted),
          mitigatedBy,
        });
      }
    }
    return findings;
  },
};
