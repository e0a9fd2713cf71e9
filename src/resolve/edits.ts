import type { Provenance } from '../schema/generated/report.js';
import type { PlanItem, PlanTarget } from '../plan/types.js';
import type { MutablePlan } from './types.js';

/** Provenance for an item a resolution adds. */
export function fromResolution(text: string): Provenance {
  return { from: 'resolution', text };
}

/** Adds an item; an item with the same id gains the provenance instead. */
export function addItem(plan: MutablePlan, item: PlanItem): void {
  const existing = plan.items[item.id];
  plan.items[item.id] = existing === undefined ? item : { ...existing, provenance: [...existing.provenance, ...item.provenance] };
}

/** Replaces an item (found by id) with a changed copy. */
export function updateItem(plan: MutablePlan, id: string, update: (item: PlanItem) => PlanItem): void {
  const item = plan.items[id];
  if (item !== undefined) plan.items[id] = update(item);
}

/** Removes an item by id. */
export function removeItem(plan: MutablePlan, id: string): void {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- plan items are keyed by id by design
  delete plan.items[id];
}

/** A new plan item made by a resolution. */
export function resolutionItem(action: PlanItem['action'], target: PlanTarget, why: string, extra: Partial<PlanItem> = {}): PlanItem {
  return { id: `${action}:${target.key}`, action, target, certainty: 'definite', provenance: [fromResolution(why)], needs: [], ...extra };
}

/**
 * Replaces a drug item: a current medicine becomes a `stop` item, a recommendation is removed;
 * then the replacement is added as a start, keeping the recommendation's provenance.
 */
export function replaceDrug(plan: MutablePlan, item: PlanItem, replacement: PlanTarget, why: string): void {
  removeItem(plan, item.id);
  if (item.action === 'take') {
    addItem(plan, resolutionItem('stop', item.target, why, { provenance: [...item.provenance, fromResolution(why)] }));
    addItem(plan, resolutionItem('start', replacement, why));
  } else {
    addItem(plan, resolutionItem(item.action, replacement, why, { provenance: [...item.provenance, fromResolution(why)], ...(item.strength === undefined ? {} : { strength: item.strength }) }));
  }
}
