import { itemIngredients } from '../plan/merge.js';
import { AVOIDING_ACTIONS, type PlanItem, perPlan, planItems } from '../plan/types.js';
import { citation } from './citations.js';
import { exposuresOf, isPossible, itemParticipant } from './exposures.js';
import { conflictId } from './ids.js';
import { inFocus, certaintyOf, mergeNeeds, type Detector, type Finding, type Severity } from './types.js';

function sourcesOf(item: PlanItem): ReturnType<typeof citation>[] {
  return item.provenance.flatMap((p) => (p.source === undefined ? [] : [citation(p.source)]));
}

function contradictionSeverity(pro: PlanItem, con: PlanItem): Severity {
  const strong = (i: PlanItem): boolean => i.action === 'take' || i.strength === 'offer' || i.strength === 'do-not-offer';
  return strong(pro) && strong(con) ? 'severe' : 'moderate';
}

/** An avoid or stop advice about a drug or class, with the ingredients it keeps out. */
interface Avoidance {
  readonly item: PlanItem;
  readonly ingredients: ReadonlySet<string>;
}

const avoidanceOfItem = new WeakMap<PlanItem, Avoidance>();

/** The advice in a plan to avoid or stop a drug or class, and to avoid combinations; once per plan (each advice's ingredients once per item). */
const avoidancesOf = perPlan((plan, knowledge) => {
  const against: Avoidance[] = [];
  const combinations: PlanItem[] = [];
  for (const item of planItems(plan)) {
    if (!AVOIDING_ACTIONS.has(item.action)) continue;
    if (item.target.type === 'combination') combinations.push(item);
    else if (item.target.type === 'ingredient' || item.target.type === 'class') {
      let avoidance = avoidanceOfItem.get(item);
      if (avoidance === undefined) avoidanceOfItem.set(item, (avoidance = { item, ingredients: itemIngredients(item, knowledge) }));
      against.push(avoidance);
    }
  }
  return { against, combinations };
});

/**
 * One recommendation (or a current medicine) puts a drug in while another keeps it out: start
 * or continue X, or taking X, against avoid or stop X — by class membership, so "avoid NSAIDs"
 * contradicts "start naproxen". A class to start contradicts an avoidance only if every member
 * is avoided (otherwise a member can be chosen around it).
 */
export const contradiction: Detector = {
  kind: 'contradiction',
  detect(context) {
    const { plan, knowledge } = context;
    const { against, combinations } = avoidancesOf(plan, knowledge);
    if (against.length === 0 && combinations.length === 0) return [];
    const findings: Finding[] = [];
    const exposures = exposuresOf(plan, knowledge);
    for (const con of combinations) {
      // A combination to avoid is contradicted only when every component is in the plan at once.
      const parts = (con.target.components ?? []).map((component) => {
        const members = component.type === 'class' ? (knowledge.classes.get(component.id ?? '')?.members ?? new Set<string>()) : new Set([component.id ?? '']);
        return exposures.find((e) => e.ingredients.every((i) => members.has(i)));
      });
      if (parts.length === 0 || parts.some((p) => p === undefined)) continue;
      const pros = parts.filter((p): p is NonNullable<typeof p> => p !== undefined).map((p) => p.item);
      if (!inFocus(context, con.id, ...pros.map((p) => p.id))) continue;
      const possible = isPossible(con) || pros.some(isPossible);
      const needs = mergeNeeds(con.needs, ...pros.map((p) => p.needs));
      findings.push({
        id: conflictId('contradiction', undefined, [...pros.map((p) => p.target.key), `${con.action}:${con.target.key}`]),
        kind: 'contradiction',
        severity: pros.every((p) => p.action === 'take') ? 'severe' : contradictionSeverity(pros[0] ?? con, con),
        ...certaintyOf(possible, needs),
        participants: [...pros.map(itemParticipant), itemParticipant(con)],
        explanation: `the plan combines ${pros.map((p) => p.target.name).join(' and ')}, but a pathway advises to ${con.action} ${con.target.name}`,
        sources: [...pros.flatMap(sourcesOf), ...sourcesOf(con)],
        items: [...pros.map((p) => p.id), con.id],
        management: [],
        mitigatedBy: [],
      });
    }
    // One conflict per drug put in the plan, with every avoid or stop advice that covers it.
    const anyAdviceInFocus = context.focus === undefined || against.some((a) => context.focus?.has(a.item.id) === true);
    for (const { item: pro, ingredients } of exposures) {
      if (!anyAdviceInFocus && !inFocus(context, pro.id)) continue;
      const cons = against.filter((con) => ingredients.every((i) => con.ingredients.has(i))).map((con) => con.item);
      if (cons.length === 0 || !inFocus(context, pro.id, ...cons.map((c) => c.id))) continue;
      const possible = isPossible(pro) || cons.every(isPossible);
      const needs = mergeNeeds(pro.needs, ...cons.map((c) => c.needs));
      const advice = cons.map((c) => `${c.action} ${c.target.name}`).join(' and ');
      findings.push({
        id: conflictId('contradiction', undefined, [pro.target.key, ...cons.map((c) => `${c.action}:${c.target.key}`)]),
        kind: 'contradiction',
        severity: cons.map((c) => contradictionSeverity(pro, c)).includes('severe') ? 'severe' : 'moderate',
        ...certaintyOf(possible, needs),
        participants: [itemParticipant(pro), ...cons.map(itemParticipant)],
        explanation: pro.action === 'take'
          ? `${pro.target.name} is a current medicine, but a pathway advises to ${advice}`
          : `one pathway advises to ${pro.action} ${pro.target.name}, another to ${advice}`,
        sources: [...sourcesOf(pro), ...cons.flatMap(sourcesOf)],
        items: [pro.id, ...cons.map((c) => c.id)],
        management: [],
        mitigatedBy: [],
      });
    }
    return findings;
  },
};
