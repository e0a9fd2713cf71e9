import type { Conflict, GuidelineSource, Need } from '../schema/generated/report.js';
import type { Management } from '../schema/generated/knowledge.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { PatientView } from '../pathway/view.js';
import { type CarePlan, distinctNeeds } from '../plan/types.js';

/** A conflict's kind, as the report contract names it. */
export type ConflictKind = Conflict['kind'];

/** Severity on carepath's scale. */
export type Severity = Conflict['severity'];

/** Each severity's rank, from the most severe down (see `severityRank`). */
const SEVERITY_RANK: Readonly<Record<Severity, number>> = Object.freeze({ contraindicated: 4, severe: 3, moderate: 2, mild: 1 });

/** A number for comparing severities: higher is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITY_RANK[severity];
}

/**
 * A conflict as a detector finds it: the report's conflict without resolutions, plus what
 * resolution needs. Detectors write every field, an absent one as undefined, in one order (id,
 * kind, severity, certainty, settledBy, mitigated, rule, participants, explanation, sources,
 * items, management, mitigatedBy), so that all findings share one hidden class:
 * the code that reads findings of every kind (ordering, resolution, re-checks) then stays
 * monomorphic, where one shape per detector made each of its property reads a slow lookup.
 */
export interface Finding extends Omit<Conflict, 'resolutions' | 'sources' | 'settledBy' | 'mitigated' | 'rule'> {
  /** For a possible conflict, the missing data that would settle it. */
  readonly settledBy: Conflict['settledBy'] | undefined;
  /** True when the plan already holds the management that mitigates it. */
  readonly mitigated: Conflict['mitigated'] | undefined;
  /** The rule behind it, when there is one. */
  readonly rule: Conflict['rule'] | undefined;
  /** The sources, most severe rule first; shared between checks, so the report copies them. */
  readonly sources: readonly GuidelineSource[];
  /** The plan items involved, by id. */
  readonly items: readonly string[];
  /** The management the rule's source advises, most preferred first (empty when there is no rule). */
  readonly management: readonly Management[];
  /** The management whose presence in the plan marks this conflict mitigated (that of its most severe rules; empty when nothing can). */
  readonly mitigatedBy: readonly Management[];
}

/** The plan items a re-check looks at, by id: a set of ids, or a change's edits (keyed by id), read as they are. */
export interface Focus {
  /** Whether the re-check looks at this item. */
  has(id: string): boolean;
  /** The ids it looks at. */
  keys(): Iterable<string>;
}

/** What a detector reads: the plan, the patient seen on the check date, and the knowledge base. */
export interface DetectContext {
  /** The care plan to check. */
  readonly plan: CarePlan;
  /** The patient on the check date. */
  readonly view: PatientView;
  /** The knowledge base. */
  readonly knowledge: KnowledgeBase;
  /**
   * When set, only conflicts that involve at least one of these plan items are looked for, and,
   * in a changed plan, those that focused items it took out leave changed (re-checking a patched
   * plan: a drug left against the one advice not taken out).
   */
  readonly focus?: Focus;
}

/** Whether any of these plan items is in a focus (or among a change's edits, which serve as one). */
export function anyFocused(itemIds: readonly string[], focus: Focus): boolean {
  for (let i = 0; i < itemIds.length; i++) if (focus.has(itemIds[i] as string)) return true;
  return false;
}

/** Whether a conflict among these plan items is in the context's focus. */
export function inFocus(context: DetectContext, itemIds: readonly string[]): boolean {
  return context.focus === undefined || anyFocused(itemIds, context.focus);
}

/** Whether a conflict about this one plan item is in the context's focus. */
export function itemInFocus(context: DetectContext, itemId: string): boolean {
  return context.focus === undefined || context.focus.has(itemId);
}

/** One kind of conflict detection: a small pure function over the context. */
export interface Detector {
  /** The kind it finds. */
  readonly kind: ConflictKind;
  /** Finds every conflict of its kind in the plan. */
  readonly detect: (context: DetectContext) => Finding[];
  /** True for a detector of conflicts about the plan as a whole (treatment burden), which any item can change. */
  readonly planWide?: boolean;
}

/**
 * A finding's certainty and, when it is possible, the data that would settle it (undefined when
 * it is definite or nothing is named). Detectors write both as plain fields of the finding:
 * findings built by spreading made each young-generation collection of a check slower.
 */
export interface Certainty {
  /** Definite, or possible when it hinges on unknown data. */
  readonly certainty: Finding['certainty'];
  /** For a possible finding, the missing data that would settle it; undefined otherwise. */
  readonly settledBy: Need[] | undefined;
}

/** The certainty of a finding that hinges on nothing unknown (shared, never changed). */
export const DEFINITE: Certainty = Object.freeze({ certainty: 'definite', settledBy: undefined });

/**
 * The certainty of a possible finding: the missing data of its participants, merged without
 * repeats and in order, settle it. Detectors call it only for a possible finding, so a definite
 * one merges nothing.
 */
export function possibly(...lists: readonly (readonly Need[])[]): Certainty {
  const needs = distinctNeeds(...lists);
  return { certainty: 'possible', settledBy: needs.length === 0 ? undefined : needs };
}
