import type { GuidelineSource, Resolution } from '../schema/generated/report.js';
import type { DetectContext, Finding } from '../conflict/types.js';
import type { PlanItem } from '../plan/types.js';

/**
 * A plan being changed: its item list may be edited (insert, remove, replace an item) but items
 * themselves are never mutated, so the same change runs on a plain copy for verification and on
 * an immer draft to record the patches of an offered option.
 */
export interface MutablePlan {
  /** The items, by id. */
  items: Record<string, PlanItem>;
}

/** A proposed change to the plan, not yet verified. */
export interface Candidate {
  /** The kind of change. */
  readonly strategy: Resolution['strategy'];
  /** The change in words a clinician can act on. */
  readonly description: string;
  /** Applies the change to a plan (a plain copy to verify it, an immer draft to record its patches). */
  readonly change: (plan: MutablePlan) => void;
  /** Change in medicines plus monitoring tests a year. */
  readonly addedBurden: number;
  /** How strongly the source backs this option: 0 is the source's first choice; higher is weaker. */
  readonly evidence: number;
  /** The sources advising it. */
  readonly sources: readonly GuidelineSource[];
}

/** One resolution strategy: proposes candidates for a finding; verification happens elsewhere. */
export interface Strategy {
  /** The strategy's name, as reports show it. */
  readonly strategy: Resolution['strategy'];
  /** Candidates for one finding in one plan. */
  readonly propose: (finding: Finding, context: DetectContext) => Candidate[];
}
