import { itemIngredients } from '../plan/merge.js';
import { fact } from '../facts.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { AVOIDING_ACTIONS, derivationOf, entriesAmong, itemList, type PlanItem } from '../plan/types.js';
import { citation } from './citations.js';
import { examinedExposures, type Exposure, exposureOf, exposuresOf, isPossible, itemParticipant, within } from './exposures.js';
import { conflictId } from './ids.js';
import { type DetectContext, inFocus, itemInFocus, DEFINITE, possibly, type Detector, type Finding, type Severity } from './types.js';
import { appendTo } from '../order.js';

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

/** An item's advice to avoid or stop a drug or class, or undefined. */
function avoidanceOf(item: PlanItem, knowledge: KnowledgeBase): Avoidance | undefined {
  if (!AVOIDING_ACTIONS.has(item.action) || (item.target.type !== 'ingredient' && item.target.type !== 'class')) return undefined;
  return { item, ingredients: itemIngredients(item, knowledge) };
}

/** The advice in a plan to avoid or stop a drug or class, once per plan. */
const againstOf = itemList(avoidanceOf, (a) => a.item);

/** The advice in a plan to avoid a combination, once per plan. */
const combinationsOf = itemList((item) => (AVOIDING_ACTIONS.has(item.action) && item.target.type === 'combination' ? item : undefined), (item) => item);

// Indexed loops in this detector: run for every drug against every advice in each re-check, `for...of` allocated an iterator each time.

/** Whether a drug is within one of a combination's components. */
function inAnyComponent(exposure: { readonly ingredients: readonly string[] }, components: readonly ReadonlySet<string>[]): boolean {
  for (let i = 0; i < components.length; i++) if (within(exposure.ingredients, components[i] as ReadonlySet<string>)) return true;
  return false;
}

const NO_ADVICE: readonly PlanItem[] = [];

/** The advice items that cover a drug (all its possible ingredients avoided), in order. */
function coveringAdvice(advice: readonly Avoidance[], ingredients: readonly string[]): readonly PlanItem[] {
  let found: PlanItem[] | undefined;
  for (let i = 0; i < advice.length; i++) {
    const con = advice[i] as Avoidance;
    if (within(ingredients, con.ingredients)) found = appendTo(found, con.item);
  }
  return found ?? NO_ADVICE;
}

/** Whether any of these exposures is within one of a combination's components. */
function anyInComponents(exposures: readonly Exposure[], components: readonly ReadonlySet<string>[]): boolean {
  for (let i = 0; i < exposures.length; i++) if (inAnyComponent(exposures[i] as Exposure, components)) return true;
  return false;
}

/** No advice in focus (shared, never changed). */
const NO_AVOIDANCES: readonly Avoidance[] = [];

/**
 * The advice in the context's focus (all of it without a focus). Worked out once per detection:
 * a re-check's focus holds an advice or two at most, and asking the focus of every advice again
 * for every drug took about 1.5 % of a heavy check.
 */
function focusedAdvice(advice: readonly Avoidance[], context: DetectContext): readonly Avoidance[] {
  if (context.focus === undefined) return advice;
  let found: Avoidance[] | undefined;
  for (let i = 0; i < advice.length; i++) {
    const con = advice[i] as Avoidance;
    if (context.focus.has(con.item.id)) found = appendTo(found, con);
  }
  return found ?? NO_AVOIDANCES;
}

/** No items (shared, never changed). */
const NO_ITEMS: readonly PlanItem[] = Object.freeze([]);

/**
 * With a focus, the focused items a re-checked change took out of the plan (none without a
 * focus). A contradiction groups every advice against one drug, and a combination's drugs, so
 * taking one out can change a contradiction none of whose items changed: the drug against the
 * advice that is left, or another drug of the combination in its place.
 */
function takenOut(context: DetectContext): readonly PlanItem[] {
  const { focus } = context;
  const removed = focus === undefined ? undefined : derivationOf(context.plan)?.removed;
  if (focus === undefined || removed === undefined) return NO_ITEMS;
  let found: PlanItem[] | undefined;
  for (let i = 0; i < removed.length; i++) {
    const item = removed[i] as PlanItem;
    if (focus.has(item.id)) found = appendTo(found, item);
  }
  return found ?? NO_ITEMS;
}

/** Whether any of these advices covers a drug (see `coveringAdvice`). */
function coveredByAny(advice: readonly Avoidance[], ingredients: readonly string[]): boolean {
  for (let i = 0; i < advice.length; i++) if (within(ingredients, (advice[i] as Avoidance).ingredients)) return true;
  return false;
}

/** Per knowledge base: each combination's component ingredient sets, by target key. */
const components = fact((_knowledge: KnowledgeBase) => new Map<string, readonly ReadonlySet<string>[]>());

/** The ingredients each component of a combination may be, once per combination. */
function componentsOf(con: PlanItem, knowledge: KnowledgeBase): readonly ReadonlySet<string>[] {
  const byKey = components(knowledge);
  let found = byKey.get(con.target.key);
  if (found === undefined) {
    found = (con.target.components ?? []).map((c) => (c.type === 'class' ? (knowledge.classes.get(c.id ?? '')?.members ?? new Set<string>()) : new Set([c.id ?? ''])));
    byKey.set(con.target.key, found);
  }
  return found;
}

/** Advice in words, each drug named once with everything advised about it ("avoid and stop rate-limiting calcium channel blockers"). */
function adviceText(cons: readonly PlanItem[]): string {
  const byTarget = new Map<string, string[]>();
  for (const c of cons) {
    const actions = byTarget.get(c.target.name);
    if (actions === undefined) byTarget.set(c.target.name, [c.action]);
    else if (!actions.includes(c.action)) actions.push(c.action);
  }
  return [...byTarget].map(([name, actions]) => `${actions.join(' and ')} ${name}`).join(' and ');
}

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
    const against = againstOf(plan, knowledge);
    const combinations = combinationsOf(plan, knowledge);
    if (against.length === 0 && combinations.length === 0) return [];
    const findings: Finding[] = [];
    const examined = examinedExposures(context);
    const gone = takenOut(context);
    const goneDrugs = entriesAmong(gone, exposureOf, knowledge);
    for (const con of combinations) {
      // A combination to avoid is contradicted only when every component is in the plan at once.
      const components = componentsOf(con, knowledge);
      if (!itemInFocus(context, con.id) && !anyInComponents(examined, components) && !anyInComponents(goneDrugs, components)) continue;
      const exposures = exposuresOf(plan, knowledge);
      const parts = components.map((members) => exposures.find((e) => within(e.ingredients, members)));
      if (parts.length === 0 || parts.some((p) => p === undefined)) continue;
      const pros = parts.filter((p): p is NonNullable<typeof p> => p !== undefined).map((p) => p.item);
      if (!inFocus(context, [con.id, ...pros.map((p) => p.id)])) continue;
      const possible = isPossible(con) || pros.some(isPossible);
      const { certainty, settledBy } = possible ? possibly(con.needs, ...pros.map((p) => p.needs)) : DEFINITE;
      findings.push({
        id: conflictId('contradiction', undefined, [...pros.map((p) => p.target.key), `${con.action}:${con.target.key}`]),
        kind: 'contradiction',
        severity: pros.every((p) => p.action === 'take') ? 'severe' : contradictionSeverity(pros[0] ?? con, con),
        certainty,
        settledBy,
        mitigated: undefined,
        rule: undefined,
        participants: [...pros.map(itemParticipant), itemParticipant(con)],
        explanation: `the plan combines ${pros.map((p) => p.target.name).join(' and ')}, but a pathway advises to ${con.action} ${con.target.name}`,
        sources: [...pros.flatMap(sourcesOf), ...sourcesOf(con)],
        items: [...pros.map((p) => p.id), con.id],
        management: [],
        mitigatedBy: [],
      });
    }
    // One conflict per drug put in the plan, with every avoid or stop advice that covers it.
    const focused = focusedAdvice(against, context);
    const goneAdvice = entriesAmong(gone, avoidanceOf, knowledge);
    // Without a focused advice, put in or taken out, only the examined drugs' conflicts can change, so the rest are not looked at.
    const drugs = focused.length === 0 && goneAdvice.length === 0 ? examined : exposuresOf(plan, knowledge);
    for (let e = 0; e < drugs.length; e++) {
      const { item: pro, ingredients } = drugs[e] as Exposure;
      // Outside the focus, a drug's conflict can change only through a focused advice that covers it, or one taken out that did.
      if (!itemInFocus(context, pro.id) && !coveredByAny(focused, ingredients) && !coveredByAny(goneAdvice, ingredients)) continue;
      const cons = coveringAdvice(against, ingredients);
      if (cons.length === 0) continue;
      const possible = isPossible(pro) || cons.every(isPossible);
      const { certainty, settledBy } = possible ? possibly(pro.needs, ...cons.map((c) => c.needs)) : DEFINITE;
      const advice = adviceText(cons);
      findings.push({
        id: conflictId('contradiction', undefined, [pro.target.key, ...cons.map((c) => `${c.action}:${c.target.key}`)]),
        kind: 'contradiction',
        severity: cons.map((c) => contradictionSeverity(pro, c)).includes('severe') ? 'severe' : 'moderate',
        certainty,
        settledBy,
        mitigated: undefined,
        rule: undefined,
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
