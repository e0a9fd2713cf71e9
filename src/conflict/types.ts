import type { Conflict, GuidelineSource, Need } from '../schema/generated/report.js';
import type { Management } from '../schema/generated/knowledge.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { PatientView } from '../pathway/view.js';
import type { CarePlan } from '../plan/types.js';
import { compareText, sortInPlace } from '../order.js';

/** A conflict's kind, as the report contract names it. */
export type ConflictKind = Conflict['kind'];

/** Severity on carepath's scale. */
export type Severity = Conflict['severity'];

/** Severities from most to least severe. */
export const SEVERITY_ORDER: readonly Severity[] = ['contraindicated', 'severe', 'moderate', 'mild'];

/** A number for comparing severities: higher is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER.length - SEVERITY_ORDER.indexOf(severity);
}

/** A conflict as a detector finds it: the report's conflict without resolutions, plus what resolution needs. */
export interface Finding extends Omit<Conflict, 'resolutions' | 'sources'> {
  /** The sources, most severe rule first; shared between checks, so the report copies them. */
  readonly sources: readonly GuidelineSource[];
  /** The plan items involved, by id. */
  readonly items: readonly string[];
  /** The management the rule's source advises, most preferred first (empty when there is no rule). */
  readonly management: readonly Management[];
  /** The management whose presence in the plan marks this conflict mitigated (that of its most severe rules; empty when nothing can). */
  readonly mitigatedBy: readonly Management[];
}

/** What a detector reads: the plan, the patient seen on the check date, and the knowledge base. */
export interface DetectContext {
  /** The care plan to check. */
  readonly plan: CarePlan;
  /** The patient on the check date. */
  readonly view: PatientView;
  /** The knowledge base. */
  readonly knowledge: KnowledgeBase;
  /** When set, only conflicts that involve at least one of these plan items are looked for (re-checking a patched plan). */
  readonly focus?: ReadonlySet<string>;
}

/** Whether a conflict among these plan items is in the context's focus. */
export function inFocus(context: DetectContext, itemIds: readonly string[]): boolean {
  const { focus } = context;
  return focus === undefined || itemIds.some((id) => focus.has(id));
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
export function certaintyOf(possible: boolean, needs: readonly Need[]): { certainty: Finding['certainty']; settledBy: Need[] | undefined } {
  return possible ? { certainty: 'possible', settledBy: needs.length > 0 ? [...needs] : undefined } : { certainty: 'definite', settledBy: undefined };
}

const NO_NEEDS: Need[] = Object.freeze([]) as unknown as Need[];

/** Orders missing data by concept, then message. */
function byConceptAndMessage(a: Need, b: Need): number {
  return compareText(a.concept, b.concept) || compareText(a.message, b.message);
}

/** Merges lists of missing data without repeats (a shared, frozen empty list when there is none). */
export function mergeNeeds(...lists: readonly (readonly Need[])[]): Need[] {
  if (lists.every((list) => list.length === 0)) return NO_NEEDS;
  const out: Need[] = [];
  for (const list of lists) for (const need of list) if (!out.some((n) => n.concept === need.concept && n.message === need.message)) out.push(need);
  return out.length < 2 ? out : sortInPlace(out, byConceptAndMessage);
}
