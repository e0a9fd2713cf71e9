import { exposuresOf, type Exposure } from '../../conflict/exposures.js';
import { conditionRulesFor, relationBetween } from '../../conflict/relations.js';
import { drugTarget } from '../../plan/merge.js';
import type { CompiledClass, KnowledgeBase } from '../../knowledge/types.js';
import { fact } from '../../facts.js';
import { type CarePlan, type PlanItem, planItems } from '../../plan/types.js';
import type { Candidate, Strategy } from '../types.js';
import { changeKey, replaceDrug } from '../edits.js';
import { evidenceOf, findingItems, sourcesFor } from './helpers.js';

/** How many members of a class are verified for one item, after the cheap pre-check. */
const MAX_TRIES = 4;

/** The smallest therapeutic class of an ingredient, with its members in order. */
interface SubstituteClass {
  readonly name: string;
  readonly members: readonly string[];
}

/** Per knowledge base: an ingredient's smallest therapeutic class, and an exposure standing for an alternative ingredient. */
interface Memo {
  readonly classes: Map<string, SubstituteClass | null>;
  readonly exposures: Map<string, Exposure>;
}

const memos = new WeakMap<KnowledgeBase, Memo>();

function memoFor(knowledge: KnowledgeBase): Memo {
  let memo = memos.get(knowledge);
  if (memo === undefined) memos.set(knowledge, (memo = { classes: new Map(), exposures: new Map() }));
  return memo;
}

/** The smallest therapeutic class an ingredient belongs to, once per ingredient. */
function smallestTherapeuticClass(ingredient: string, knowledge: KnowledgeBase): SubstituteClass | undefined {
  const { classes } = memoFor(knowledge);
  let found = classes.get(ingredient);
  if (found === undefined) {
    const smallest = [...(knowledge.classesOf.get(ingredient) ?? [])]
      .map((id) => knowledge.classes.get(id))
      .filter((c): c is CompiledClass => c?.definition.therapeuticClass === true)
      .sort((x, y) => x.members.size - y.members.size)[0];
    classes.set(ingredient, (found = smallest === undefined ? null : { name: smallest.definition.name, members: [...smallest.members].sort() }));
  }
  return found ?? undefined;
}

/** An alternative ingredient as an exposure, for looking up its relations. */
function alternativeExposure(ingredient: string, knowledge: KnowledgeBase): Exposure {
  const { exposures } = memoFor(knowledge);
  let exposure = exposures.get(ingredient);
  if (exposure === undefined) {
    const target = drugTarget({ ingredient }, knowledge);
    exposures.set(ingredient, (exposure = { item: { id: `start:${target.key}`, action: 'start', target, certainty: 'definite', provenance: [], needs: [] }, ingredients: [ingredient] }));
  }
  return exposure;
}

/**
 * A cheap pre-check before the full re-check: an alternative that still meets one of the
 * conflict's other participants (a rule with the other drug, or a rule for the same condition)
 * cannot resolve it, so it is not worth verifying.
 */
function stillConflicts(alternative: string, others: readonly Exposure[], condition: string | undefined, knowledge: KnowledgeBase): boolean {
  const candidate = alternativeExposure(alternative, knowledge);
  if (condition !== undefined) return conditionRulesFor(candidate, knowledge).some((r) => r.rule.condition === condition);
  return others.some((other) => relationBetween(candidate, other, knowledge).rules.length > 0);
}

/** The ingredients a plan names in any item (taken, recommended, avoided), which a substitute must not be; once per plan. */
const ingredientsNamed = fact((plan: CarePlan) => new Set(planItems(plan).filter((i) => i.target.type === 'ingredient').map((i) => i.target.id)));

/**
 * Substitute within class: replace a drug in the conflict with another member of its smallest
 * therapeutic class that the plan does not already use (pantoprazole for omeprazole beside
 * clopidogrel, sertraline for citalopram beside a QT-prolonging drug). When the rule says which
 * side to replace, only that side is tried. Each candidate is verified by re-checking.
 */
export const substituteWithinClass: Strategy = {
  strategy: 'substitute-within-class',
  propose(finding, context) {
    if (finding.kind !== 'drug-drug' && finding.kind !== 'drug-condition' && finding.kind !== 'dose') return [];
    const { knowledge, plan } = context;
    const rule = finding.rule === undefined ? undefined : knowledge.drugInteractionById.get(finding.rule);
    const side = finding.management.find((m) => m.strategy === 'substitute-within-class')?.replace;
    const used = ingredientsNamed(plan);
    const condition = finding.kind === 'drug-condition' && finding.rule !== undefined ? knowledge.conditionInteractionById.get(finding.rule)?.rule.condition : undefined;
    const candidates: Candidate[] = [];
    const items = findingItems(finding, context).filter((i): i is PlanItem & { target: { id: string } } => i.target.type === 'ingredient' && i.target.id !== undefined);
    for (const item of items) {
      if (side !== undefined && rule !== undefined && !(side === 'a' ? rule.a : rule.b).has(item.target.id)) continue;
      const smallest = smallestTherapeuticClass(item.target.id, knowledge);
      if (smallest === undefined) continue;
      const others = exposuresOf(plan, knowledge).filter((e) => finding.items.includes(e.item.id) && e.item.id !== item.id);
      const alternatives: string[] = [];
      for (const member of smallest.members) {
        if (alternatives.length === MAX_TRIES) break;
        if (!used.has(member) && !stillConflicts(member, others, condition, knowledge)) alternatives.push(member);
      }
      for (const alternative of alternatives) {
        const target = drugTarget({ ingredient: alternative }, knowledge);
        const verb = item.action === 'take' ? `Switch ${item.target.name} to ${target.name}` : `Choose ${target.name} instead of ${item.target.name}`;
        candidates.push({
          strategy: 'substitute-within-class',
          description: `${verb} (another ${smallest.name})`,
          key: changeKey('substitute-within-class', verb, item.id),
          change: (plan) => replaceDrug(plan, item, target, verb),
          addedBurden: 0,
          evidence: evidenceOf(finding, 'substitute-within-class'),
          sources: sourcesFor(finding, 'substitute-within-class'),
        });
      }
    }
    return candidates;
  },
};
