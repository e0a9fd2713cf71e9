import type { Provenance } from '../schema/generated/report.js';
import { type CarePlan, itemId, type PlanItem, planItem, type PlanTarget } from '../plan/types.js';
import type { PlanEditor } from './types.js';

/** The key of a change: the strategy, its description and the plan item it edits, if it names one. */
export function changeKey(strategy: string, description: string, itemId?: string): string {
  return itemId === undefined ? `${strategy}\u0000${description}` : `${strategy}\u0000${description}\u0000${itemId}`;
}

/** Provenance for an item a resolution adds. */
export function fromResolution(text: string): Provenance {
  return { from: 'resolution', text };
}

/** Adds an item; an item with the same id gains the provenance instead. */
export function addItem(plan: PlanEditor, item: PlanItem): void {
  const existing = plan.get(item.id);
  plan.put(existing === undefined ? item : planItem(existing, { provenance: [...existing.provenance, ...item.provenance] }));
}

/** Replaces an item (found by id) with a changed copy. */
export function updateItem(plan: PlanEditor, id: string, update: (item: PlanItem) => PlanItem): void {
  const item = plan.get(id);
  if (item !== undefined) plan.put(update(item));
}

/** Removes an item by id. */
export function removeItem(plan: PlanEditor, id: string): void {
  plan.remove(id);
}

/** No missing data (shared, frozen). */
const NO_NEEDS: PlanItem['needs'] = Object.freeze([]);

/** A new plan item made by a resolution: its provenance says why, unless `extra` gives it. */
export function resolutionItem(action: PlanItem['action'], target: PlanTarget, why: string, extra: Partial<PlanItem> = {}): PlanItem {
  return planItem({ id: itemId(action, target), action, target, certainty: 'definite', provenance: extra.provenance ?? [fromResolution(why)], needs: NO_NEEDS }, extra);
}

/** Stops a current medicine: its `take` item becomes a `stop` item that keeps its provenance and says why. */
export function stopMedicine(plan: PlanEditor, item: PlanItem, why: string): void {
  removeItem(plan, item.id);
  addItem(plan, resolutionItem('stop', item.target, why, { provenance: [...item.provenance, fromResolution(why)] }));
}

/**
 * Replaces a drug item: a current medicine becomes a `stop` item, a recommendation is removed;
 * then the replacement is added as a start, keeping the recommendation's provenance.
 */
export function replaceDrug(plan: PlanEditor, item: PlanItem, replacement: PlanTarget, why: string): void {
  if (item.action === 'take') {
    stopMedicine(plan, item, why);
    addItem(plan, resolutionItem('start', replacement, why));
  } else {
    removeItem(plan, item.id);
    addItem(plan, resolutionItem(item.action, replacement, why, { provenance: [...item.provenance, fromResolution(why)], strength: item.strength }));
  }
}

/**
 * An editor that leaves the plan untouched and records the edits: each edited id's new item
 * (undefined when taken out), in the order edited. An edit that leaves an item as the plan has
 * it is no change, and is not recorded. A class, so that trying a change makes one small object
 * rather than one closure per method.
 */
export class Overlay implements PlanEditor {
  /** The edits so far; the caller that made the overlay owns them. */
  readonly edits = new Map<string, PlanItem | undefined>();

  /** An overlay of a plan, for trying a change on it. */
  constructor(private readonly plan: CarePlan) {}

  /** The item with this id as the change has left it so far. */
  get(id: string): PlanItem | undefined {
    return this.edits.has(id) ? this.edits.get(id) : this.plan.items[id];
  }

  /** Puts an item in, replacing any with its id. */
  put(item: PlanItem): void {
    this.record(item.id, item);
  }

  /** Takes the item with this id out. */
  remove(id: string): void {
    this.record(id, undefined);
  }

  /** Records an item's new state, or forgets its edit when that is the plan's own. */
  private record(id: string, item: PlanItem | undefined): void {
    if (this.plan.items[id] === item) this.edits.delete(id);
    else this.edits.set(id, item);
  }
}
