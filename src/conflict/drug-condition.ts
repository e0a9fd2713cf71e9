import type { ConditionInteraction as ConditionInteractionRule, Management } from '../schema/generated/knowledge.js';
import type { GuidelineSource, Participant, Provenance } from '../schema/generated/report.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { hasCondition } from '../pathway/has-condition.js';
import type { PatientView } from '../pathway/view.js';
import { fact } from '../facts.js';
import { citation, leadingManagement, mergedManagement, uniqueSources } from './citations.js';
import { examinedExposures, isPossible, itemParticipant, type Exposure } from './exposures.js';
import { byRuleSeverity, conditionRulesFor } from './relations.js';
import { conflictId } from './ids.js';
import { compareText } from '../order.js';
import { isMitigated } from './mitigation.js';
import { DEFINITE, possibly, type Detector, type Finding } from './types.js';

/** A view's condition participants already made, by concept. */
const conditionParticipants = fact((_view: PatientView) => new Map<string, Participant>());

/** The condition as a participant, with the records that establish it; once per view and concept. */
export function conditionParticipant(concept: string, view: PatientView): Participant {
  const made = conditionParticipants(view);
  let participant = made.get(concept);
  if (participant === undefined) made.set(concept, (participant = makeConditionParticipant(concept, view)));
  return participant;
}

function makeConditionParticipant(concept: string, view: PatientView): Participant {
  const name = view.knowledge.conditions.get(concept)?.name ?? concept;
  const provenance: Provenance[] = view.record.conditions
    // The records that establish it, or when none does, those that name it as an unconfirmed diagnosis.
    .filter((c) => (c.state === 'present' || (c.state === 'uncertain' && !view.present.has(concept))) && c.concepts.includes(concept) && (c.onset === undefined || c.onset <= view.asOf.end))
    // By location, so the order of the input never shows.
    .sort((a, b) => compareText(a.location, b.location))
    .map((c) => ({ from: 'patient-record', location: c.location, text: c.text }));
  return { type: 'condition', name, provenance: provenance.length > 0 ? provenance : [{ from: 'patient-record', text: `${name}: not recorded as a diagnosis; established or possible from observations` }] };
}

/** What the rules about one drug target in one condition report whatever the patient: worked out once per target. */
export interface ConditionInteraction {
  readonly concept: string;
  readonly id: string;
  /** The most severe rule (for dose limits, the strictest), which sets the severity and leads the explanation. */
  readonly primary: ConditionInteractionRule;
  readonly conditionName: string;
  readonly mechanism: string;
  readonly sources: readonly GuidelineSource[];
  readonly management: readonly Management[];
  /** What marks the conflict mitigated (see `leadingManagement`). */
  readonly mitigatedBy: readonly Management[];
}

/** Per knowledge base: the drug–condition interactions of each drug target, by target key; and those that set a dose limit (see `conditionDoseLimitsOf`). */
const interactionMemos = fact((_knowledge: KnowledgeBase) => new Map<string, readonly ConditionInteraction[]>());
const doseLimitMemos = fact((_knowledge: KnowledgeBase) => new Map<string, readonly ConditionInteraction[]>());

/** The drug–condition interactions of an exposure, one per condition in the order its rules first name them; once per target. Rules that set a dose limit are left to the dose detector. */
function conditionInteractionsOf(exposure: Exposure, knowledge: KnowledgeBase): readonly ConditionInteraction[] {
  return interactionsByCondition(exposure, knowledge, interactionMemos(knowledge), false);
}

/**
 * The drug–condition rules of an exposure that set a dose limit (edoxaban at most 30 mg a day
 * when creatinine clearance is 50 mL/min or less), one per condition, led by its strictest limit;
 * once per target. A dose within the limit makes the drug acceptable in the condition.
 */
export function conditionDoseLimitsOf(exposure: Exposure, knowledge: KnowledgeBase): readonly ConditionInteraction[] {
  return interactionsByCondition(exposure, knowledge, doseLimitMemos(knowledge), true);
}

/** Orders rules that set a dose limit by it, strictest first, then by id. */
function byDoseLimit(x: ConditionInteractionRule, y: ConditionInteractionRule): number {
  return (x.doseLimit?.maxDailyMg ?? 0) - (y.doseLimit?.maxDailyMg ?? 0) || (x.id < y.id ? -1 : 1);
}

/** The rules about an exposure (those that set a dose limit, or those that do not) grouped by condition; once per target in `memo`. */
function interactionsByCondition(exposure: Exposure, knowledge: KnowledgeBase, memo: Map<string, readonly ConditionInteraction[]>, limitingDose: boolean): readonly ConditionInteraction[] {
  const key = exposure.item.target.key;
  let found = memo.get(key);
  if (found === undefined) {
    const byCondition = new Map<string, ConditionInteractionRule[]>();
    for (const { rule } of conditionRulesFor(exposure, knowledge)) {
      if ((rule.doseLimit !== undefined) !== limitingDose) continue;
      const rules = byCondition.get(rule.condition);
      if (rules === undefined) byCondition.set(rule.condition, [rule]);
      else rules.push(rule);
    }
    found = [...byCondition].flatMap(([concept, rules]) => {
      const sorted = [...rules].sort(limitingDose ? byDoseLimit : byRuleSeverity);
      const [primary] = sorted;
      if (primary === undefined) return [];
      return [{
        concept,
        id: conflictId(limitingDose ? 'dose' : 'drug-condition', undefined, [key, `condition:${concept}`]),
        primary,
        conditionName: knowledge.conditions.get(concept)?.name ?? concept,
        mechanism: primary.mechanism,
        sources: uniqueSources(sorted.map((r) => citation(r.source))),
        management: mergedManagement(sorted),
        mitigatedBy: leadingManagement(sorted),
      }];
    });
    memo.set(key, found);
  }
  return found;
}

/** Drugs cautioned or contraindicated in a condition the patient has (or may have: a possible conflict naming the data that would settle it). */
export const drugCondition: Detector = {
  kind: 'drug-condition',
  detect(context) {
    const { plan, view, knowledge } = context;
    const findings: Finding[] = [];
    for (const exposure of examinedExposures(context)) {
      for (const interaction of conditionInteractionsOf(exposure, knowledge)) {
        const has = hasCondition(interaction.concept, view);
        if (has.value === false) continue;
        const possible = has.value === 'unknown' || isPossible(exposure.item);
        const { certainty, settledBy } = possible ? possibly(has.needs, exposure.item.needs) : DEFINITE;
        const items = [exposure.item.id];
        findings.push({
          id: interaction.id,
          kind: 'drug-condition',
          severity: interaction.primary.severity,
          certainty,
          settledBy,
          mitigated: isMitigated(plan, interaction.mitigatedBy, knowledge, items) ? true : undefined,
          rule: interaction.primary.id,
          participants: [itemParticipant(exposure.item), conditionParticipant(interaction.concept, view)],
          explanation: `${exposure.item.target.name} with ${interaction.conditionName}: ${interaction.mechanism}`,
          sources: interaction.sources,
          items,
          management: interaction.management,
          mitigatedBy: interaction.mitigatedBy,
        });
      }
    }
    return findings;
  },
};
