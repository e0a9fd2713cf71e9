import type { Need, Provenance } from '../schema/generated/report.js';
import type { Recommendation } from '../schema/generated/pathway.js';
import type { KnowledgeBase } from '../knowledge/types.js';

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
 * The merged care plan: items keyed by id, so that a change to the plan is a patch at
 * `['items', id]` (immer patches name the item they touch). Immutable; changed only through
 * immer or on a copy. `planItems` gives them in canonical order.
 */
export interface CarePlan {
  /** The items, by id. */
  readonly items: Readonly<Record<string, PlanItem>>;
}

/**
 * A fact about a plan, computed once per plan object and remembered: plans are immutable (a
 * re-check makes a new plan object for each change it tries), and a plan is only ever read with
 * the knowledge base it was merged with.
 */
export function perPlan<T>(compute: (plan: CarePlan, knowledge: KnowledgeBase) => T): (plan: CarePlan, knowledge: KnowledgeBase) => T {
  const memo = new WeakMap<CarePlan, T>();
  return (plan, knowledge) => {
    if (memo.has(plan)) return memo.get(plan) as T;
    const value = compute(plan, knowledge);
    memo.set(plan, value);
    return value;
  };
}

const ordered = new WeakMap<CarePlan, readonly PlanItem[]>();

/** A plan's items in canonical order (by id), computed once per plan. */
export function planItems(plan: CarePlan): readonly PlanItem[] {
  let items = ordered.get(plan);
  if (items === undefined) {
    const list: PlanItem[] = [];
    for (const id of Object.keys(plan.items).sort()) {
      const item = plan.items[id];
      if (item !== undefined) list.push(item);
    }
    ordered.set(plan, (items = list));
  }
  return items;
}

/**
 * The plan made by changing a few items of another: `changes` maps each changed id to its new
 * item (undefined when taken out). Its canonical order comes from the base plan's, with only
 * the changed items placed anew, and its item record is built only if something asks for it, so
 * a re-check neither copies nor sorts the whole plan.
 */
export function changedPlan(base: CarePlan, changes: ReadonlyMap<string, PlanItem | undefined>): CarePlan {
  let items: Record<string, PlanItem> | undefined;
  const plan: CarePlan = {
    get items() {
      if (items === undefined) {
        items = { ...base.items };
        for (const [id, item] of changes) {
          // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- plan items are keyed by id by design
          if (item === undefined) delete items[id];
          else items[id] = item;
        }
      }
      return items;
    },
  };
  const added = [...changes.values()].filter((item): item is PlanItem => item !== undefined).sort((a, b) => (a.id < b.id ? -1 : 1));
  const order: PlanItem[] = [];
  let next = 0;
  for (const item of planItems(base)) {
    for (; next < added.length && (added[next]?.id ?? '') < item.id; next++) order.push(added[next] as PlanItem);
    if (!changes.has(item.id)) order.push(item);
  }
  for (; next < added.length; next++) order.push(added[next] as PlanItem);
  ordered.set(plan, order);
  return plan;
}

/** Actions that put a drug in the patient's body (now or soon). */
export const EXPOSING_ACTIONS: ReadonlySet<PlanAction> = new Set(['take', 'start', 'continue']);

/** Actions that keep a drug away. */
export const AVOIDING_ACTIONS: ReadonlySet<PlanAction> = new Set(['avoid', 'stop']);
