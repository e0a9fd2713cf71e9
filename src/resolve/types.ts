import type { GuidelineSource, Resolution } from '../schema/generated/report.js';
import type { DetectContext, Finding } from '../conflict/types.js';
import type { PlanItem } from '../plan/types.js';

/**
 * A plan being changed, item by item: items may be put in (a new one, or a replacement with the
 * same id) or taken out, but an item itself is never mutated. A change runs on an overlay of the
 * plan, which records its edits without touching the plan; the edits are then verified, and
 * replayed on an immer draft to record the patches of an offered option.
 */
export interface PlanEditor {
  /** The item with this id as the change has left it so far. */
  get(id: string): PlanItem | undefined;
  /** Puts an item in, replacing any with its id. */
  put(item: PlanItem): void;
  /** Takes the item with this id out. */
  remove(id: string): void;
}

/** A proposed change to the plan, not yet verified. */
export interface Candidate {
  /** The kind of change. */
  readonly strategy: Resolution['strategy'];
  /** The change in words a clinician can act on. */
  readonly description: string;
  /**
   * Names the change: candidates with the same key make the same change to the plan (whichever
   * conflict proposed them), so it is verified once per check. Built by `changeKey`.
   */
  readonly key: string;
  /** Makes the change through an editor of the plan. */
  readonly change: (plan: PlanEditor) => void;
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
  readonly propose: (finding: Finding, context: DetectContext) => readonly Candidate[];
}
