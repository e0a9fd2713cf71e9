import type { Participant, Provenance } from '../schema/generated/report.js';
import { fact } from '../facts.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { itemIngredients } from '../plan/merge.js';
import { type CarePlan, EXPOSING_ACTIONS, itemList, itemOf, type PlanItem } from '../plan/types.js';
import { appendTo, sortInPlace } from '../order.js';
import type { DetectContext, Focus } from './types.js';

/**
 * A drug the plan puts in the patient's body: a current medicine or a recommendation to start
 * or continue one that the patient does not already take. A class recommendation stands for
 * whichever member is chosen, so a conflict holds for it only if it holds for every member.
 */
export interface Exposure {
  /** The plan item. */
  readonly item: PlanItem;
  /** The ingredients it may be. */
  readonly ingredients: readonly string[];
  /** Its target's number in the knowledge base, given when the target is first met: relations between targets are kept in a table by it. */
  readonly targetNumber: number;
}

/** Whether every ingredient a drug may be is among these (a drug within a class, a side of a rule, a mitigation). */
export function within(ingredients: readonly string[], members: ReadonlySet<string>): boolean {
  // Indexed: asked for every drug against every advice and rule in each re-check, `for...of` allocated an iterator each time.
  for (let i = 0; i < ingredients.length; i++) if (!members.has(ingredients[i] as string)) return false;
  return true;
}

/** What a drug target stands for in one knowledge base: its ingredients in order (a shared list, never changed) and its number. */
interface KnownTarget {
  readonly ingredients: readonly string[];
  readonly number: number;
}

/** Per knowledge base: each drug target met, by target key, numbered in the order met. */
const knownTargets = fact((_knowledge: KnowledgeBase) => new Map<string, KnownTarget>());

/** The drug target of an item, made once per target. */
function knownTargetOf(item: PlanItem, knowledge: KnowledgeBase): KnownTarget {
  const byKey = knownTargets(knowledge);
  let target = byKey.get(item.target.key);
  if (target === undefined) byKey.set(item.target.key, (target = { ingredients: Object.freeze([...itemIngredients(item, knowledge)].sort()), number: byKey.size }));
  return target;
}

/** A drug item as an exposure, whatever its action (an alternative a resolution might start, say). */
export function drugExposure(item: PlanItem, knowledge: KnowledgeBase): Exposure {
  const { ingredients, number } = knownTargetOf(item, knowledge);
  return { item, ingredients, targetNumber: number };
}

/** The exposure of one item, or undefined when it puts no drug in. */
export function exposureOf(item: PlanItem, knowledge: KnowledgeBase): Exposure | undefined {
  if (!EXPOSING_ACTIONS.has(item.action) || item.status === 'already-taking' || (item.target.type !== 'ingredient' && item.target.type !== 'class')) return undefined;
  const exposure = drugExposure(item, knowledge);
  return exposure.ingredients.length > 0 ? exposure : undefined;
}

/** Every drug exposure of a plan, in canonical order, once per plan. */
export const exposuresOf = itemList(exposureOf, (e) => e.item);

/** No exposures (shared, never changed). */
const NO_EXPOSURES: readonly Exposure[] = Object.freeze([]);

/** A plan's exposures of focused items and the focus they were found for: one slot, as a plan is examined with one focus. */
const focusedFor = fact((_plan: CarePlan): { focus: Focus | undefined; exposures: readonly Exposure[] | undefined } => ({ focus: undefined, exposures: undefined }));

/** Orders exposures as their items are ordered in a plan. */
function byItemId(a: Exposure, b: Exposure): number {
  return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
}

/**
 * The drug exposures a detection examines, in canonical order: every exposure of the plan, or
 * with a focus those of the focused items alone. A re-check's focus holds a few items, so they
 * are read one by one rather than the focus asked about every drug in the plan; a change that
 * only takes drugs out leaves none to examine.
 */
export function examinedExposures(context: DetectContext): readonly Exposure[] {
  const { plan, focus, knowledge } = context;
  if (focus === undefined) return exposuresOf(plan, knowledge);
  const memo = focusedFor(plan);
  if (memo.exposures === undefined || memo.focus !== focus) {
    memo.focus = focus;
    memo.exposures = focusedExposures(plan, focus, knowledge);
  }
  return memo.exposures;
}

function focusedExposures(plan: CarePlan, focus: Focus, knowledge: KnowledgeBase): readonly Exposure[] {
  // Made when the first comes: most changes put in one drug or none.
  let found: Exposure[] | undefined;
  for (const id of focus.keys()) {
    const item = itemOf(plan, id);
    const exposure = item === undefined ? undefined : exposureOf(item, knowledge);
    if (exposure !== undefined) found = appendTo(found, exposure);
  }
  return found === undefined ? NO_EXPOSURES : sortInPlace(found, byItemId);
}

/** Whether an item is among a few exposures' items (by identity: they are the plan's own items). */
export function amongItems(exposures: readonly Exposure[], item: PlanItem): boolean {
  for (let i = 0; i < exposures.length; i++) if ((exposures[i] as Exposure).item === item) return true;
  return false;
}

/** A plan item as a conflict participant: its generic name and provenance (the plan's own frozen list, shared). */
export function itemParticipant(item: PlanItem): Participant {
  return { type: item.action === 'take' ? 'medication' : 'recommendation', name: item.target.name, planItem: item.id, provenance: item.provenance as Provenance[] };
}

/** Whether an item hinges on unknown data. */
export function isPossible(item: PlanItem): boolean {
  return item.certainty === 'possible';
}
