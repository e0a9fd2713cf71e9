import { castDraft, type Draft } from 'immer';
import type { Provenance } from '../schema/generated/report.js';
import type { CarePlan, PlanItem, PlanTarget } from '../plan/types.js';

/** Provenance for an item a resolution adds. */
export function fromResolution(text: string): Provenance {
  return { from: 'resolution', text };
}

/** Inserts an item, keeping the plan's canonical order; an item with the same id gains the provenance instead. */
export function addItem(plan: Draft<CarePlan>, item: PlanItem): void {
  const existing = plan.items.find((i) => i.id === item.id);
  if (existing !== undefined) {
    for (const p of item.provenance) existing.provenance.push(castDraft(p));
    return;
  }
  const at = plan.items.findIndex((i) => i.id > item.id);
  plan.items.splice(at === -1 ? plan.items.length : at, 0, castDraft(item));
}

/** Removes an item by id. */
export function removeItem(plan: Draft<CarePlan>, id: string): void {
  const at = plan.items.findIndex((i) => i.id === id);
  if (at !== -1) plan.items.splice(at, 1);
}

/** A new plan item made by a resolution. */
export function resolutionItem(action: PlanItem['action'], target: PlanTarget, why: string, extra: Partial<PlanItem> = {}): PlanItem {
  return { id: `${action}:${target.key}`, action, target, certainty: 'definite', provenance: [fromResolution(why)], needs: [], ...extra };
}

/**
 * Replaces a drug item: a current medicine becomes a `stop` item, a recommendation is removed;
 * then the replacement is added as a start, keeping the recommendation's provenance.
 */
export function replaceDrug(plan: Draft<CarePlan>, item: PlanItem, replacement: PlanTarget, why: string): void {
  removeItem(plan, item.id);
  if (item.action === 'take') {
    addItem(plan, resolutionItem('stop', item.target, why, { provenance: [...item.provenance, fromResolution(why)] }));
    addItem(plan, resolutionItem('start', replacement, why));
  } else {
    addItem(plan, resolutionItem(item.action, replacement, why, { provenance: [...item.provenance, fromResolution(why)], ...(item.strength === undefined ? {} : { strength: item.strength }) }));
  }
}
