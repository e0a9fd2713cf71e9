import { drugExposure, type Exposure } from '../../conflict/exposures.js';
import { conditionRulesFor, relationBetween } from '../../conflict/relations.js';
import { ingredientTarget } from '../../plan/merge.js';
import { citation } from '../../conflict/citations.js';
import type { CompiledClass, KnowledgeBase } from '../../knowledge/types.js';
import { hasCondition } from '../../pathway/has-condition.js';
import type { PatientView } from '../../pathway/view.js';
import type { DrugClass } from '../../schema/generated/knowledge.js';
import { fact } from '../../facts.js';
import { type CarePlan, itemId, planItems } from '../../plan/types.js';
import type { DetectContext, Finding } from '../../conflict/types.js';
import type { Candidate, Strategy } from '../types.js';
import { changeKey, replaceDrug, stopMedicine } from '../edits.js';
import { adviceIndex, advisedItems, conflictExposures, evidenceOf, findingItems, guidelineTreatment, NO_CANDIDATES, sourcesFor } from './helpers.js';
import { appendTo } from '../../order.js';

/** How many members of a class are verified for one item, after the cheap pre-check. */
const MAX_TRIES = 4;

/** The smallest therapeutic class of an ingredient, with its members in order and the orders its sources prefer. */
interface SubstituteClass {
  readonly name: string;
  readonly members: readonly string[];
  readonly preferences: NonNullable<DrugClass['preferences']>;
  /** By the key of a conflict's other side (a drug target, or `condition:` and a condition): the members no rule ties to it. */
  readonly clear: Map<string, ReadonlySet<string>>;
}

/** Per knowledge base: an ingredient's smallest therapeutic class, and an exposure standing for an alternative ingredient. */
interface Memo {
  readonly classes: Map<string, SubstituteClass | null>;
  readonly exposures: Map<string, Exposure>;
}

const memoFor = fact((_knowledge: KnowledgeBase): Memo => ({ classes: new Map(), exposures: new Map() }));

/** The smallest therapeutic class an ingredient belongs to, once per ingredient. */
function smallestTherapeuticClass(ingredient: string, knowledge: KnowledgeBase): SubstituteClass | undefined {
  const { classes } = memoFor(knowledge);
  let found = classes.get(ingredient);
  if (found === undefined) {
    const smallest = [...(knowledge.classesOf.get(ingredient) ?? [])]
      .map((id) => knowledge.classes.get(id))
      .filter((c): c is CompiledClass => c?.definition.therapeuticClass === true)
      .sort((x, y) => x.members.size - y.members.size)[0];
    classes.set(ingredient, (found = smallest === undefined ? null : { name: smallest.definition.name, members: [...smallest.members].sort(), preferences: smallest.definition.preferences ?? [], clear: new Map() }));
  }
  return found ?? undefined;
}

/** An alternative ingredient as an exposure, for looking up its relations. */
function alternativeExposure(ingredient: string, knowledge: KnowledgeBase): Exposure {
  const { exposures } = memoFor(knowledge);
  let exposure = exposures.get(ingredient);
  if (exposure === undefined) {
    const target = ingredientTarget(ingredient, knowledge);
    exposures.set(ingredient, (exposure = drugExposure({ id: itemId('start', target), action: 'start', target, certainty: 'definite', provenance: [], needs: [] }, knowledge)));
  }
  return exposure;
}

/**
 * A cheap pre-check before the full re-check: an alternative that still meets the conflict's
 * other side (a rule with the other drug, or a rule for the same condition) cannot resolve it,
 * so it is not worth verifying. The members clear of one other side are worked out once per
 * class and side.
 */
function clearMembers(substitute: SubstituteClass, against: Exposure | string, knowledge: KnowledgeBase): ReadonlySet<string> {
  const key = typeof against === 'string' ? `condition:${against}` : against.item.target.key;
  let clear = substitute.clear.get(key);
  if (clear === undefined) {
    const meets = (member: string): boolean => {
      const candidate = alternativeExposure(member, knowledge);
      if (typeof against === 'string') return conditionRulesFor(candidate, knowledge).some((r) => r.rule.condition === against);
      return relationBetween(candidate, against, knowledge).rules.length > 0;
    };
    substitute.clear.set(key, (clear = new Set(substitute.members.filter((member) => !meets(member)))));
  }
  return clear;
}

/** A preferred order of members, for a condition the patient has. */
type Preference = NonNullable<DrugClass['preferences']>[number];

/** The first of a class's preferred orders whose condition the patient has, if any. */
function preferenceFor(substitute: SubstituteClass, view: PatientView): Preference | undefined {
  for (let i = 0; i < substitute.preferences.length; i++) {
    const preference = substitute.preferences[i] as Preference;
    if (hasCondition(preference.condition, view).value === true) return preference;
  }
  return undefined;
}

/** The class's members to try, in order: the preferred ones first (in the preference's order), then the rest by name. */
function membersToTry(substitute: SubstituteClass, preference: Preference | undefined): readonly string[] {
  if (preference === undefined) return substitute.members;
  return [...preference.order, ...substitute.members.filter((m) => !preference.order.includes(m))];
}

/** The members of a class clear of each of a conflict's drugs (its exposures) other than the one with this item id. */
function clearOfOthers(substitute: SubstituteClass, id: string, exposures: readonly Exposure[], knowledge: KnowledgeBase): readonly ReadonlySet<string>[] {
  let clear: ReadonlySet<string>[] | undefined;
  for (let i = 0; i < exposures.length; i++) {
    const other = exposures[i] as Exposure;
    if (other.item.id !== id) clear = appendTo(clear, clearMembers(substitute, other, knowledge));
  }
  return clear ?? NO_SETS;
}

/** No sets of members (shared, never changed). */
const NO_SETS: readonly ReadonlySet<string>[] = Object.freeze([]);

/** Whether a member is clear of every other side of a conflict, and not already named in the plan. */
function isAlternative(member: string, clear: readonly ReadonlySet<string>[], used: ReadonlySet<string | undefined>): boolean {
  if (used.has(member)) return false;
  for (let i = 0; i < clear.length; i++) if (!(clear[i] as ReadonlySet<string>).has(member)) return false;
  return true;
}

/** Whether any of a class's members is an alternative (see `isAlternative`). */
function anyAlternative(members: readonly string[], clear: readonly ReadonlySet<string>[], used: ReadonlySet<string | undefined>): boolean {
  for (let i = 0; i < members.length; i++) if (isAlternative(members[i] as string, clear, used)) return true;
  return false;
}

/** The first `MAX_TRIES` alternatives (see `isAlternative`) among members in the order to try them. */
function alternativesAmong(members: readonly string[], clear: readonly ReadonlySet<string>[], used: ReadonlySet<string | undefined>): string[] {
  const found: string[] = [];
  for (let i = 0; i < members.length && found.length < MAX_TRIES; i++) {
    const member = members[i] as string;
    if (isAlternative(member, clear, used)) found.push(member);
  }
  return found;
}

/** The ingredients a plan names in any item (taken, recommended, avoided), which a substitute must not be; once per plan. */
const ingredientsNamed = fact((plan: CarePlan) => new Set(planItems(plan).filter((i) => i.target.type === 'ingredient').map((i) => i.target.id)));

/**
 * A current medicine in the same class as a drug a pathway offers for certain (metoprolol
 * beside the offer of a beta-blocker licensed for heart failure): switch to the recommended
 * drug rather than take both, citing the recommendation's source. The current medicine is kept
 * when a pathway recommends it too.
 */
function switchToRecommended(finding: Finding, context: DetectContext): Candidate[] {
  const items = findingItems(finding, context);
  const current = items.find((i) => i.action === 'take');
  const recommended = items.find((i) => i.action === 'start' && i.strength === 'offer' && i.certainty === 'definite');
  if (current === undefined || recommended === undefined || guidelineTreatment(current, context)) return [];
  const verb = `Switch ${current.target.name} to the recommended ${recommended.target.name}`;
  const description = `${verb} rather than take both`;
  return [{
    strategy: 'substitute-within-class',
    description,
    key: changeKey('substitute-within-class', verb, current.id),
    change: (plan) => stopMedicine(plan, current, description),
    addedBurden: -1,
    evidence: 0,
    sources: recommended.provenance.flatMap((p) => (p.from === 'pathway' && p.source !== undefined ? [p.source] : [])),
  }];
}

/**
 * Substitute within class: replace a drug in the conflict with another member of its smallest
 * therapeutic class that the plan does not already use (pantoprazole for omeprazole beside
 * clopidogrel, sertraline for citalopram beside a QT-prolonging drug). Members a source prefers
 * for a condition the patient has come first, in the source's order and citing it (sertraline
 * first among SSRIs in coronary heart disease); the rest follow by name. When the rule says
 * which side to replace (`side`), only that side is tried; for a drug in a condition, substitution
 * is tried only when the rule's source advises it. Each candidate is verified by re-checking.
 */
export const substituteWithinClass: Strategy = {
  strategy: 'substitute-within-class',
  propose(finding, context) {
    if (finding.kind === 'duplicate') return switchToRecommended(finding, context);
    if (finding.kind !== 'drug-drug' && finding.kind !== 'drug-condition' && finding.kind !== 'dose') return NO_CANDIDATES;
    // A drug's caution in a condition is often its class's (other tricyclics share amitriptyline's cardiac contraindications), so only a source's advice opens substitution there.
    if (finding.kind === 'drug-condition' && adviceIndex(finding, 'substitute-within-class') === -1) return NO_CANDIDATES;
    const { knowledge, plan } = context;
    const advised = advisedItems(finding, 'substitute-within-class', context);
    const used = ingredientsNamed(plan);
    const condition = finding.kind === 'drug-condition' && finding.rule !== undefined ? knowledge.conditionInteractionById.get(finding.rule)?.rule.condition : undefined;
    let candidates: Candidate[] | undefined;
    // The conflict's drugs, found once they are needed (most items have no class to substitute within).
    let exposures: Exposure[] | undefined;
    for (let i = 0; i < finding.items.length; i++) {
      const id = finding.items[i] as string;
      const item = plan.items[id];
      const ingredient = item?.target.type === 'ingredient' ? item.target.id : undefined;
      if (item === undefined || ingredient === undefined || (advised !== undefined && !advised.has(id))) continue;
      const smallest = smallestTherapeuticClass(ingredient, knowledge);
      if (smallest === undefined) continue;
      // The members clear of every other side of the conflict: its condition, or the other drugs in it.
      const clear = condition !== undefined ? [clearMembers(smallest, condition, knowledge)] : clearOfOthers(smallest, id, (exposures ??= conflictExposures(finding, context)), knowledge);
      // Most often no member is clear; then nothing more is made.
      if (!anyAlternative(smallest.members, clear, used)) continue;
      const preference = preferenceFor(smallest, context.view);
      const alternatives = alternativesAmong(membersToTry(smallest, preference), clear, used);
      for (let a = 0; a < alternatives.length; a++) {
        const alternative = alternatives[a] as string;
        const { target } = alternativeExposure(alternative, knowledge).item;
        const verb = item.action === 'take' ? `Switch ${item.target.name} to ${target.name}` : `Choose ${target.name} instead of ${item.target.name}`;
        const rank = preference?.order.indexOf(alternative) ?? -1;
        const preferredIn = rank === -1 || preference === undefined ? undefined : (knowledge.conditions.get(preference.condition)?.name ?? preference.condition);
        candidates = appendTo(candidates, {
          strategy: 'substitute-within-class',
          description: `${verb} (another ${smallest.name}${preferredIn === undefined ? '' : `, preferred in ${preferredIn}`})`,
          key: changeKey('substitute-within-class', verb, item.id),
          change: (plan) => replaceDrug(plan, item, target, verb),
          addedBurden: 0,
          // The source's order ranks the preferred members, in turn, ahead of the others.
          evidence: evidenceOf(finding, 'substitute-within-class') + (preference === undefined ? 0 : rank === -1 ? 0.5 : rank / 100),
          sources: preferredIn === undefined || preference === undefined ? sourcesFor(finding, 'substitute-within-class') : [...sourcesFor(finding, 'substitute-within-class'), citation(preference.source)],
        });
      }
    }
    return candidates ?? NO_CANDIDATES;
  },
};
