import type { Need, Provenance } from '../schema/generated/report.js';
import type { Recommendation } from '../schema/generated/pathway.js';
import type { DrugRef } from '../schema/generated/common.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { FiredRecommendation } from '../pathway/graph.js';
import type { PatientRecord } from '../patient/record.js';
import { fact, withFacts } from '../facts.js';
import { deepFreeze } from '../schema/json.js';
import { type CarePlan, distinctNeeds, frozenNeeds, itemId, itemRecord, type PlanItem, planItems, planTarget, type PlanTarget } from './types.js';
import { compareText, sortInPlace } from '../order.js';

const strengthRank: Record<Recommendation['strength'], number> = { offer: 3, consider: 2, 'do-not-offer': 1 };

/** The plan target of a drug reference. */
export function drugTarget(ref: DrugRef, knowledge: KnowledgeBase): PlanTarget {
  if ('ingredient' in ref) {
    return planTarget('ingredient', `ingredient:${ref.ingredient}`, knowledge.ingredients.get(ref.ingredient)?.name ?? ref.ingredient, ref.ingredient);
  }
  return planTarget('class', `class:${ref.class}`, knowledge.classes.get(ref.class)?.definition.name ?? ref.class, ref.class);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The plan targets of a recommendation: one per component of a combination. */
function computeTargets(recommendation: Recommendation, knowledge: KnowledgeBase): PlanTarget[] {
  const t = recommendation.target;
  switch (t.type) {
    case 'ingredient':
      return [drugTarget({ ingredient: t.ingredient }, knowledge)];
    case 'class':
      return [drugTarget({ class: t.class }, knowledge)];
    case 'combination': {
      const components = t.components.map((c) => drugTarget(c, knowledge));
      if (recommendation.kind !== 'avoid' && recommendation.kind !== 'stop') return components;
      const key = `combination:${components.map((c) => c.key).sort().join('+')}`;
      return [planTarget('combination', key, components.map((c) => c.name).join(' with '), undefined, components)];
    }
    case 'test':
      return [planTarget('test', `test:${t.observation ?? slug(t.name)}`, t.name, t.observation)];
    case 'activity':
      return [planTarget('activity', `activity:${slug(t.name)}`, t.name)];
    case 'referral':
      return [planTarget('referral', `referral:${slug(t.service)}`, t.service)];
  }
}

/** A stable sort key for provenance, independent of input order except through item ids. */
function provenanceKey(p: Provenance): string {
  return `${p.from}\u0000${p.pathway ?? ''}\u0000${p.step ?? ''}\u0000${p.recommendation ?? ''}\u0000${p.location ?? ''}\u0000${p.text ?? ''}`;
}

function timingOf(recommendation: Recommendation): PlanItem['timing'] | undefined {
  const t = recommendation.timing;
  if (t === undefined) return undefined;
  const words = [t.text, t.within === undefined ? undefined : `within ${t.within}`, t.for === undefined ? undefined : `for ${t.for}`].filter((w) => w !== undefined);
  return { ...(words.length > 0 ? { text: words.join('; ') } : {}), ...(t.every === undefined ? {} : { every: t.every }) };
}

/** Provenance with its sort key. */
interface KeyedProvenance {
  readonly provenance: Provenance;
  readonly key: string;
  /** For a pathway's provenance, made once: the provenance list of an item that has it alone (frozen, shared). */
  readonly alone?: readonly Provenance[];
}

/** No provenance or missing data yet (shared, frozen). */
const NONE: readonly never[] = Object.freeze([]);

/** Orders provenance by its sort key. */
function byKey(a: KeyedProvenance, b: KeyedProvenance): number {
  return compareText(a.key, b.key);
}

/**
 * What merging one recommendation needs, worked out once per recommendation and knowledge base
 * (pathways are compiled once, and a recommendation belongs to one step of one pathway): its
 * plan targets with the ids of their items, its timing, and its provenance for each certainty.
 */
interface RecommendationParts {
  readonly targets: readonly { readonly target: PlanTarget; readonly id: string }[];
  readonly timing: PlanItem['timing'] | undefined;
  readonly provenance: Partial<Record<FiredRecommendation['certainty'], KeyedProvenance>>;
}

/** Per knowledge base: each recommendation's parts. */
const partsMemo = fact((_knowledge: KnowledgeBase) => new WeakMap<Recommendation, RecommendationParts>());

function partsOf(fired: FiredRecommendation, knowledge: KnowledgeBase): RecommendationParts {
  const r = fired.recommendation;
  const byRecommendation = partsMemo(knowledge);
  let parts = byRecommendation.get(r);
  if (parts === undefined) {
    const targets = deepFreeze(computeTargets(r, knowledge)).map((target) => ({ target, id: itemId(r.kind, target) }));
    byRecommendation.set(r, (parts = { targets, timing: deepFreeze(timingOf(r)), provenance: {} }));
  }
  return parts;
}

/** The provenance of a fired recommendation, made once per recommendation and certainty. */
function pathwayProvenance(fired: FiredRecommendation, parts: RecommendationParts): KeyedProvenance {
  const r = fired.recommendation;
  let keyed = parts.provenance[fired.certainty];
  if (keyed === undefined) {
    const provenance: Provenance = deepFreeze({ from: 'pathway', pathway: fired.pathway, step: fired.step, recommendation: r.id, strength: r.strength, certainty: fired.certainty, source: r.source });
    parts.provenance[fired.certainty] = keyed = { provenance, key: provenanceKey(provenance), alone: Object.freeze([provenance]) };
  }
  return keyed;
}

/** Per knowledge base: each ingredient's plan target. */
const ingredientTargets = fact((_knowledge: KnowledgeBase) => new Map<string, PlanTarget>());

/** The plan target of an ingredient, made once per ingredient and frozen. */
export function ingredientTarget(ingredient: string, knowledge: KnowledgeBase): PlanTarget {
  const byIngredient = ingredientTargets(knowledge);
  let target = byIngredient.get(ingredient);
  if (target === undefined) byIngredient.set(ingredient, (target = Object.freeze(drugTarget({ ingredient }, knowledge))));
  return target;
}

/** A plan item being merged: its provenance with sort keys (repeats collapse), and the key of the recommendation each chosen field came from. */
interface Draft {
  item: { -readonly [K in keyof PlanItem]: PlanItem[K] };
  /** Its first provenance, and any more (made when a second comes: most items have one). */
  readonly first: KeyedProvenance;
  more: KeyedProvenance[] | undefined;
  /** The missing data behind it, each object once, in the order met; made when there is some. */
  needs: PlanItem['needs'][number][] | undefined;
  /** For target wording, timing and dose: the provenance key of the recommendation each was taken from. */
  targetFrom: string | undefined;
  timingFrom: string | undefined;
  doseFrom: string | undefined;
}

/**
 * Whether a provenance key sorts before the one a field was taken from (always, when none was).
 * Most items have one recommendation, so most calls compare no strings at all; a sentinel such as
 * '\uffff' in place of none made every call compare, and a one-byte key with a two-byte string
 * at that, which V8 does two to three times slower than two one-byte strings.
 */
function sortsBefore(key: string, from: string | undefined): boolean {
  return from === undefined || from > key;
}

/**
 * Merges current medication and fired recommendations into a care plan. Items are keyed by
 * action and target, so duplicates collapse and keep all their provenance; the result is in
 * canonical order, so the order of inputs never matters (merge is commutative, associative
 * and idempotent). A recommendation to start or continue a drug the patient already takes is
 * marked `already-taking`. The plan and its items are frozen: from here on it changes only
 * through immer patches or an overlay.
 */
export function mergePlan(record: PatientRecord, recommendations: readonly FiredRecommendation[], knowledge: KnowledgeBase): CarePlan {
  const byId = new Map<string, Draft>();
  /** The draft of an item, made with its first provenance, or the existing one given this provenance too (once). */
  const upsert = (id: string, action: PlanItem['action'], target: PlanTarget, keyed: KeyedProvenance): Draft => {
    let draft = byId.get(id);
    if (draft === undefined) {
      // Every field in the canonical order from the start (see `planItem`), so the item is frozen as it is.
      draft = { item: { id, action, target, certainty: 'possible', strength: undefined, status: undefined, dailyMg: undefined, perDay: undefined, dose: undefined, timing: undefined, provenance: NONE, needs: NONE }, first: keyed, more: undefined, needs: undefined, targetFrom: undefined, timingFrom: undefined, doseFrom: undefined };
      byId.set(id, draft);
      return draft;
    }
    if (draft.first.key === keyed.key) return draft;
    if (draft.more === undefined) draft.more = [keyed];
    else if (!draft.more.some((p) => p.key === keyed.key)) draft.more.push(keyed);
    return draft;
  };

  // Indexed loops: `for...of` here allocated an iterator per list, a tenth of a merge's garbage.
  for (let m = 0; m < record.medications.length; m++) {
    const medication = record.medications[m] as PatientRecord['medications'][number];
    if (!medication.current) continue;
    for (let i = 0; i < medication.ingredients.length; i++) {
      const ingredient = medication.ingredients[i] as PatientRecord['medications'][number]['ingredients'][number];
      const target = ingredientTarget(ingredient.id, knowledge);
      const provenance: Provenance = Object.freeze({ from: 'current-medication', location: medication.location, text: medication.text });
      const item = upsert(itemId('take', target), 'take', target, { provenance, key: provenanceKey(provenance) }).item;
      item.certainty = 'definite';
      item.status = item.status === undefined || item.status === medication.status ? medication.status : 'active';
      if (ingredient.dailyMg !== undefined) item.dailyMg = (item.dailyMg ?? 0) + ingredient.dailyMg;
      if (medication.perDay !== undefined) item.perDay = Math.max(item.perDay ?? 0, medication.perDay);
      if (medication.doseText !== undefined) item.dose = medication.doseText;
    }
  }

  // Target wording, timing and dose come from the recommendation that sorts first, so that merge order never matters.
  for (let f = 0; f < recommendations.length; f++) {
    const fired = recommendations[f] as FiredRecommendation;
    const r = fired.recommendation;
    const parts = partsOf(fired, knowledge);
    const provenance = pathwayProvenance(fired, parts);
    const { key } = provenance;
    for (let t = 0; t < parts.targets.length; t++) {
      const { target, id } = parts.targets[t] as RecommendationParts['targets'][number];
      const draft = upsert(id, r.kind, target, provenance);
      const { item } = draft;
      if (fired.certainty === 'definite') item.certainty = 'definite';
      if (item.strength === undefined || strengthRank[r.strength] > strengthRank[item.strength]) item.strength = r.strength;
      if (sortsBefore(key, draft.targetFrom)) {
        draft.targetFrom = key;
        item.target = target;
      }
      const timing = parts.timing;
      if (timing !== undefined && sortsBefore(key, draft.timingFrom)) {
        draft.timingFrom = key;
        item.timing = timing;
      }
      if (r.dose !== undefined && sortsBefore(key, draft.doseFrom)) {
        draft.doseFrom = key;
        item.dose = r.dose.text;
        if (r.dose.dailyMg !== undefined && target.type === 'ingredient') item.dailyMg = r.dose.dailyMg;
      }
      // Predicates make each missing datum once, so the same object comes back again and again; content is compared at the end.
      for (let n = 0; n < fired.needs.length; n++) {
        const need = fired.needs[n] as Need;
        const needs = (draft.needs ??= []);
        if (!needs.includes(need)) needs.push(need);
      }
    }
  }

  const taking: string[] = [];
  const ids = sortInPlace([...byId.keys()]);
  for (let i = 0; i < ids.length; i++) {
    const item = byId.get(ids[i] as string)?.item;
    if (item?.action === 'take') taking.push(item.target.id ?? '');
  }
  const items = itemRecord();
  const ordered: PlanItem[] = [];
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as string;
    const draft = byId.get(id);
    if (draft === undefined) continue;
    const { item } = draft;
    const { first, more } = draft;
    item.provenance = more === undefined ? first.alone ?? Object.freeze([first.provenance]) : Object.freeze(sortInPlace([first, ...more], byKey).map((p) => p.provenance));
    item.needs = item.certainty === 'definite' || draft.needs === undefined ? NONE : frozenNeeds(distinctNeeds(draft.needs));
    if ((item.action === 'start' || item.action === 'continue') && (item.target.type === 'ingredient' || item.target.type === 'class')) {
      if (itemIngredientsTaken(item, taking, knowledge)) item.status = 'already-taking';
    }
    // Its fields were set in the canonical order when its draft was made, so the plan serialises the same for any order of inputs.
    // Each part is frozen where it is made (targets, timing and pathway provenance once per recommendation), so the item alone is left.
    items[id] = Object.freeze(item);
    ordered.push(item);
  }
  const plan: CarePlan = Object.freeze(withFacts({ items: Object.freeze(items) }));
  // The items are in canonical order already: reading them back from the record would list and sort its keys again.
  planItems.remember(plan, ordered);
  return plan;
}

/** Whether the patient takes the ingredient, or any member of the class, an item names (`taking`: the ingredients taken). */
function itemIngredientsTaken(item: PlanItem, taking: readonly string[], knowledge: KnowledgeBase): boolean {
  if (item.target.type === 'ingredient') return taking.includes(item.target.id ?? '');
  const members = knowledge.classes.get(item.target.id ?? '')?.members;
  for (let i = 0; i < taking.length; i++) if (members?.has(taking[i] as string) === true) return true;
  return false;
}

const NO_INGREDIENTS: ReadonlySet<string> = new Set();

/** One ingredient as a set, made once per ingredient and knowledge base. */
const singleIngredients = fact((_knowledge: KnowledgeBase) => new Map<string, ReadonlySet<string>>());

/** The ingredients a drug plan item stands for: its ingredient, or every member of its class (shared sets: never change them). */
export function itemIngredients(item: PlanItem, knowledge: KnowledgeBase): ReadonlySet<string> {
  if (item.target.type === 'class') return knowledge.classes.get(item.target.id ?? '')?.members ?? NO_INGREDIENTS;
  if (item.target.type !== 'ingredient') return NO_INGREDIENTS;
  const byIngredient = singleIngredients(knowledge);
  const id = item.target.id ?? '';
  let set = byIngredient.get(id);
  if (set === undefined) byIngredient.set(id, (set = new Set([id])));
  return set;
}
