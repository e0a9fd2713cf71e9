import type { Need, Provenance } from '../schema/generated/report.js';
import type { Recommendation } from '../schema/generated/pathway.js';
import { fact, HoldsFacts } from '../facts.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { appendTo, byId, compareText, sortInPlace } from '../order.js';

/** What a plan item asks for: `take` is current medication; the rest are recommendation kinds. */
export type PlanAction = 'take' | Recommendation['kind'];

/** A plan item's subject, with a stable key (`ingredient:simvastatin`, `class:statins`, `test:egfr`, `activity:…`, `referral:…`). */
export interface PlanTarget {
  /** The kind of subject; a `combination` is only ever avoided or stopped as a whole (its starts are split into components). */
  readonly type: 'ingredient' | 'class' | 'combination' | 'test' | 'activity' | 'referral';
  /** The stable key. */
  readonly key: string;
  /** The id of the ingredient, class or observation, when there is one. */
  readonly id?: string;
  /** The subject in words: INN for an ingredient, a class or test name. */
  readonly name: string;
  /** For a combination: its drugs. */
  readonly components?: readonly PlanTarget[];
}

/**
 * A plan target with every field in the one order `PlanTarget` declares, an absent one undefined
 * (which JSON leaves out): targets of every kind then share one hidden class, and the code that
 * reads them (every detector and strategy) stays monomorphic.
 */
export function planTarget(type: PlanTarget['type'], key: string, name: string, id?: string, components?: readonly PlanTarget[]): PlanTarget {
  return { type, key, id, name, components };
}

/** Item ids by target key and action, each made once (see `itemId`). */
const itemIds = new Map<string, Partial<Record<PlanAction, string>>>();

/**
 * The id of the item with this action on this target (`action:targetKey`), made once per target
 * key and action. An id made afresh is a new string, and looking it up in a plan's item record (a
 * hash table keyed by V8's internalised strings) first looks the new string itself up in V8's
 * string table, on every lookup; a re-check's edits look their ids up several times. Target keys
 * come from the knowledge base and pathways, so the ids kept are bounded by their content.
 */
export function itemId(action: PlanAction, target: PlanTarget): string {
  let byAction = itemIds.get(target.key);
  if (byAction === undefined) itemIds.set(target.key, (byAction = {}));
  return (byAction[action] ??= `${action}:${target.key}`);
}

/**
 * One item of a care plan: a medicine the patient takes (one item per ingredient), or one
 * recommendation (a combination recommendation becomes one item per component), with every
 * input item and pathway step behind it.
 */
export interface PlanItem {
  /** `action:targetKey`, unique in the plan. */
  readonly id: string;
  /** What is asked. */
  readonly action: PlanAction;
  /** What it is about. */
  readonly target: PlanTarget;
  /** `definite`, or `possible` when every recommendation behind it hinges on unknown data. */
  readonly certainty: 'definite' | 'possible';
  /** For recommendations: the strongest strength behind it. */
  readonly strength?: Recommendation['strength'];
  /** For `take`: the status (active, on-hold, unknown). For drug recommendations: `already-taking` when satisfied by current medication. */
  readonly status?: string;
  /** The daily dose in mg, when known (taken, or recommended for an ingredient). */
  readonly dailyMg?: number;
  /** For `take`: administrations a day, when known. */
  readonly perDay?: number;
  /** The dose as written or recommended. */
  readonly dose?: string;
  /** Timing in words, and how often it recurs. */
  readonly timing?: { readonly text?: string; readonly every?: string };
  /** Every source behind the item, in canonical order. */
  readonly provenance: readonly Provenance[];
  /** The data whose absence made the item possible. */
  readonly needs: readonly Need[];
}

/**
 * A plan item with every field in the one canonical order (the order `PlanItem` declares; an
 * absent optional field holds undefined, which JSON leaves out), taken from `overrides` where
 * given and from `item` otherwise. Every item therefore serialises alike and shares one hidden
 * class, so the code that reads items stays monomorphic; and it is built as a literal: objects
 * made by spreading another (`{ ...item, provenance }`) made each young-generation collection
 * of a check markedly slower.
 */
export function planItem(item: PlanItem, overrides: Partial<PlanItem> = {}): PlanItem {
  // `??` field by field (no field holds null): a helper closing over both objects was made on every call.
  return {
    id: overrides.id ?? item.id,
    action: overrides.action ?? item.action,
    target: overrides.target ?? item.target,
    certainty: overrides.certainty ?? item.certainty,
    strength: overrides.strength ?? item.strength,
    status: overrides.status ?? item.status,
    dailyMg: overrides.dailyMg ?? item.dailyMg,
    perDay: overrides.perDay ?? item.perDay,
    dose: overrides.dose ?? item.dose,
    timing: overrides.timing ?? item.timing,
    provenance: overrides.provenance ?? item.provenance,
    needs: overrides.needs ?? item.needs,
  };
}

/**
 * Freezes a plan item by its known structure and returns it: each provenance and missing datum,
 * the lists holding them, its timing, its target and itself. A target's components come frozen
 * (combination targets are made and frozen once per recommendation). Walking every property, as
 * `deepFreeze` does, costs several times as much, and a check freezes every item it merges and
 * every item an offered option puts in.
 */
export function frozenItem(item: PlanItem): PlanItem {
  for (let i = 0; i < item.provenance.length; i++) Object.freeze(item.provenance[i]);
  if (item.timing !== undefined) Object.freeze(item.timing);
  Object.freeze(item.target);
  Object.freeze(item.provenance);
  frozenNeeds(item.needs);
  return Object.freeze(item);
}

/** A list of missing data, frozen with each datum, and returned. */
export function frozenNeeds(needs: PlanItem['needs']): PlanItem['needs'] {
  for (let i = 0; i < needs.length; i++) Object.freeze(needs[i]);
  return Object.freeze(needs);
}

/** Orders missing data by concept, then message. */
function byConceptAndMessage(a: Need, b: Need): number {
  return compareText(a.concept, b.concept) || compareText(a.message, b.message);
}

/** Whether a list is in order, each datum once (as every plan item's needs are). */
function isDistinctAndOrdered(list: readonly Need[]): boolean {
  for (let i = 1; i < list.length; i++) if (byConceptAndMessage(list[i - 1] as Need, list[i] as Need) >= 0) return false;
  return true;
}

/**
 * Missing data from several lists, once per concept and message (the first met), ordered by
 * those: a new list. Most often one list holds it all, already in order (a plan item's needs), and
 * is copied as it is.
 */
export function distinctNeeds(...lists: readonly (readonly Need[])[]): Need[] {
  let only: readonly Need[] | undefined;
  let several = false;
  // Indexed loops: asked for every possible conflict in every re-check, `for...of` allocated iterators.
  for (let l = 0; l < lists.length && !several; l++) {
    const list = lists[l] as readonly Need[];
    if (list.length === 0) continue;
    several = only !== undefined;
    only = list;
  }
  if (only === undefined) return [];
  // Copied by spread: the list is most often a plan item's frozen one, and `slice` of a frozen array takes a generic path some twenty times as slow.
  if (!several && isDistinctAndOrdered(only)) return [...only];
  const out: Need[] = [];
  for (let l = 0; l < lists.length; l++) {
    const list = lists[l] as readonly Need[];
    for (let i = 0; i < list.length; i++) {
      const need = list[i] as Need;
      if (!out.some((n) => n.concept === need.concept && n.message === need.message)) out.push(need);
    }
  }
  return sortInPlace(out, byConceptAndMessage);
}

/**
 * The merged care plan: items keyed by id, so that a change to the plan is a patch at
 * `['items', id]` (immer patches name the item they touch). Immutable: a change is made
 * through immer patches, or tried on a changed plan (`changedPlan`) that leaves this one as it
 * is. `planItems` gives the items in canonical order.
 */
export interface CarePlan {
  /** The items, by id. */
  readonly items: Readonly<Record<string, PlanItem>>;
}

/**
 * An empty record of plan items by id, without a prototype. V8 keeps such an object as a hash
 * table, so looking an item up by a computed id takes a few nanoseconds whatever the plan. A
 * record with fast properties has a hidden class per set of ids instead: a service that checks
 * many patients meets a new one with every plan, and a lookup that missed V8's cache of them
 * took about 140 ns (a heavy check looks up items some hundreds of times).
 */
export function itemRecord(): Record<string, PlanItem> {
  return Object.create(null) as Record<string, PlanItem>;
}

/** How a changed plan was made: the plan it changes, and each changed id's new item (undefined when taken out). */
export interface Derivation {
  /** The plan it changes. */
  readonly base: CarePlan;
  /** The edits. */
  readonly changes: ReadonlyMap<string, PlanItem | undefined>;
  /** The items put in (new or replacing), in canonical order. */
  readonly added: readonly PlanItem[];
  /** The base's items taken out or replaced. */
  readonly removed: readonly PlanItem[];
}

/** How a plan was made from another by `changedPlan`, so that facts about it can be worked out from the other's. */
export function derivationOf(plan: CarePlan): Derivation | undefined {
  return plan instanceof ChangedPlan ? plan.derivation : undefined;
}

/** A plan's item by id, without building a changed plan's item record. */
export function itemOf(plan: CarePlan, id: string): PlanItem | undefined {
  const derivation = derivationOf(plan);
  if (derivation === undefined) return plan.items[id];
  return derivation.changes.has(id) ? derivation.changes.get(id) : itemOf(derivation.base, id);
}

/** An empty list of entries (shared, never changed). */
const NO_ENTRIES: readonly never[] = Object.freeze([]);

/**
 * A list of something per plan item (a plan's drug exposures, its advice to avoid), in
 * canonical order, once per plan: `entryOf` gives an item's entry, or undefined when it has
 * none. A changed plan's list comes from its base's, with only the changed items' entries made
 * again.
 */
export function itemList<T>(entryOf: (item: PlanItem, knowledge: KnowledgeBase) => T | undefined, itemOfEntry: (entry: T) => PlanItem): (plan: CarePlan, knowledge: KnowledgeBase) => readonly T[] {
  const list = fact((plan: CarePlan, knowledge: KnowledgeBase): readonly T[] => {
    const derivation = derivationOf(plan);
    if (derivation === undefined) return entriesAmong(planItems(plan), entryOf, knowledge);
    const base = list(derivation.base, knowledge);
    const added = entriesAmong(derivation.added, entryOf, knowledge);
    // The base's list loses an entry only for a removed item that has one: asked of the few removed items, not of every entry.
    if (added.length === 0 && !anyHasEntry(derivation.removed, entryOf, knowledge)) return base;
    return mergeByItem(base, added, derivation.removed, itemOfEntry);
  });
  return list;
}

/** Whether any of these items has an entry (see `itemList`). */
function anyHasEntry(items: readonly PlanItem[], entryOf: (item: PlanItem, knowledge: KnowledgeBase) => unknown, knowledge: KnowledgeBase): boolean {
  for (let i = 0; i < items.length; i++) if (entryOf(items[i] as PlanItem, knowledge) !== undefined) return true;
  return false;
}

/** The entries of some items, in their order (see `itemList`): a shared empty list when none has one. */
export function entriesAmong<T>(items: readonly PlanItem[], entryOf: (item: PlanItem, knowledge: KnowledgeBase) => T | undefined, knowledge: KnowledgeBase): readonly T[] {
  let entries: T[] | undefined;
  // Indexed loops here and below: these helpers serve lists of every kind, and `for...of` over so many kinds of array allocates an iterator each time.
  for (let i = 0; i < items.length; i++) {
    const entry = entryOf(items[i] as PlanItem, knowledge);
    if (entry !== undefined) entries = appendTo(entries, entry);
  }
  return entries ?? NO_ENTRIES;
}

/** How many of a plan's items pass a test, once per plan; a changed plan's count comes from its base's and the changes. */
export function itemCounter(test: (item: PlanItem) => boolean): (plan: CarePlan) => number {
  const count = fact((plan: CarePlan): number => {
    const derivation = derivationOf(plan);
    if (derivation === undefined) return planItems(plan).filter(test).length;
    let n = count(derivation.base);
    for (let i = 0; i < derivation.removed.length; i++) if (test(derivation.removed[i] as PlanItem)) n--;
    for (let i = 0; i < derivation.added.length; i++) if (test(derivation.added[i] as PlanItem)) n++;
    return n;
  });
  return count;
}

/** A plan's items in canonical order (by id), computed once per plan; a changed plan's come from its base's. */
export const planItems = fact((plan: CarePlan): readonly PlanItem[] => {
  const derivation = derivationOf(plan);
  if (derivation !== undefined) return mergeByItem(planItems(derivation.base), derivation.added, derivation.removed, (item) => item);
  const list: PlanItem[] = [];
  for (const id of sortInPlace(Object.keys(plan.items))) {
    const item = plan.items[id];
    if (item !== undefined) list.push(item);
  }
  return list;
});

/** Whether an item is one of a few (by identity: a changed plan's removed items are its base's own). */
function isAmong(items: readonly PlanItem[], item: PlanItem): boolean {
  for (let i = 0; i < items.length; i++) if (items[i] === item) return true;
  return false;
}

/**
 * A changed plan's list of something per item (its items, its exposures), from the base plan's
 * list in canonical order: entries of removed (or replaced) items dropped, entries of added items
 * placed in order. The removed items are the base's own objects, so an entry is dropped by
 * comparing its item with the few removed ones, not by looking its id up among the changes.
 */
function mergeByItem<T>(base: readonly T[], added: readonly T[], removed: readonly PlanItem[], itemOfEntry: (entry: T) => PlanItem): readonly T[] {
  // A list the base plan has nothing in (its items a resolution added, say) is the added entries alone.
  if (base.length === 0) return added;
  // Room for every entry of both, made at once (a list grown entry by entry was reallocated twice), written over in order and cut to length.
  const out = base.concat(added);
  let length = 0;
  let next = 0;
  for (let i = 0; i < base.length; i++) {
    const entry = base[i] as T;
    const item = itemOfEntry(entry);
    for (; next < added.length && itemOfEntry(added[next] as T).id < item.id; next++) out[length++] = added[next] as T;
    if (!isAmong(removed, item)) out[length++] = entry;
  }
  for (; next < added.length; next++) out[length++] = added[next] as T;
  out.length = length;
  return out;
}

/**
 * A plan made by changing a few items of another. Its item record is built only if something
 * asks for it (a getter on the class, so every such plan shares one shape).
 */
class ChangedPlan extends HoldsFacts implements CarePlan {
  #items: Record<string, PlanItem> | undefined;

  constructor(readonly derivation: Derivation) {
    super();
  }

  get items(): Readonly<Record<string, PlanItem>> {
    if (this.#items === undefined) {
      const items = Object.assign(itemRecord(), this.derivation.base.items);
      for (const [id, item] of this.derivation.changes) {
        // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- plan items are keyed by id by design
        if (item === undefined) delete items[id];
        else items[id] = item;
      }
      this.#items = items;
    }
    return this.#items;
  }
}

/**
 * The plan made by changing a few items of another: `changes` maps each changed id to its new
 * item (undefined when taken out). Facts about it (its order, its exposures) are worked out
 * from the base plan's, and its item record is built only if something asks for it, so a
 * re-check neither copies nor sorts the whole plan.
 */
export function changedPlan(base: CarePlan, changes: ReadonlyMap<string, PlanItem | undefined>): CarePlan {
  // Made to size: a change mostly puts in one item and takes out one.
  let added: PlanItem[] | undefined;
  let removed: PlanItem[] | undefined;
  changes.forEach((item, id) => {
    if (item !== undefined) added = appendTo(added, item);
    const before = itemOf(base, id);
    if (before !== undefined) removed = appendTo(removed, before);
  });
  if (added !== undefined) sortInPlace(added, byId);
  return new ChangedPlan({ base, changes, added: added ?? NO_ENTRIES, removed: removed ?? NO_ENTRIES });
}

/** Actions that put a drug in the patient's body (now or soon). */
export const EXPOSING_ACTIONS: ReadonlySet<PlanAction> = new Set(['take', 'start', 'continue']);

/** Actions that keep a drug away. */
export const AVOIDING_ACTIONS: ReadonlySet<PlanAction> = new Set(['avoid', 'stop']);
