import { castDraft, enablePatches, Immer } from 'immer';
import type { Participant, Patch, Resolution } from '../schema/generated/report.js';
import { compareFindings, findConflicts, findingWithId } from '../conflict/index.js';
import { isMitigated } from '../conflict/mitigation.js';
import { anyFocused, severityRank, type DetectContext, type Finding } from '../conflict/types.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { type CarePlan, changedPlan, frozenItem, type PlanItem } from '../plan/types.js';
import { strategies } from './strategies/index.js';
import { Overlay } from './edits.js';
import type { Candidate, Strategy } from './types.js';
import { appendTo, sortInPlace } from '../order.js';

enablePatches();

/** Records the patches of offered options. Their new items are frozen first, so immer neither walks nor freezes them again. */
const recorder = new Immer({ autoFreeze: false });

/** No conflicts (shared, never changed). */
const NOTHING_NEW: readonly Finding[] = Object.freeze([]);

/** No new conflicts, as an option's re-check reports them (shared and frozen, like the plan's lists a report holds). */
const NO_NEW_CONFLICTS = Object.freeze([]) as unknown as Resolution['recheck']['newConflicts'];

/** No verified options (shared, never changed). */
const NOTHING_VERIFIED: readonly Verified[] = Object.freeze([]);

/** How many verified options are kept for one conflict. */
const MAX_OPTIONS = 3;

/** What a change did to one conflict: resolved it, newly mitigated it, or neither (undefined). */
type Outcome = Resolution['recheck']['outcome'] | undefined;

/**
 * A change the conflicts of one check propose, kept once however many propose it (candidates
 * with one key make one change): who proposes it, its re-check once made, and its patches once
 * offered. Everything a check asks about a change is a field here, where maps by key made each
 * question hash the key again.
 */
interface ProposedChange {
  /** The first candidate proposing it, whose edit is tried. */
  readonly candidate: Candidate;
  /** The conflicts proposing it, in the conflicts' order. */
  readonly proposers: Finding[];
  /** How many of them are definite (see `compareCandidates`). */
  support: number;
  /** Whether it has been re-checked. */
  judged: boolean;
  /** Its re-check; undefined when it was not made, or the change leaves the plan as it is. */
  judgement: Judged | undefined;
  /** The patches of the option, once it is offered. */
  patches: Patch[] | undefined;
}

/** One conflict's candidate, with the change it proposes. */
interface Proposal {
  readonly candidate: Candidate;
  readonly change: ProposedChange;
}

/** A proposal that passed its re-check, with what the re-check found. */
interface Verified {
  readonly proposal: Proposal;
  readonly recheck: Resolution['recheck'];
  /** The severity rank left after the option (see `residual`). */
  readonly residual: number;
}

/**
 * What re-checking one change found, kept for the rest of the check: its edits (for the patches
 * of an offered option), the conflicts it brings, and what it did to each conflict that
 * proposes it. The patched plan and the conflicts found in it are dropped as soon as these are
 * known, so a check does not hold every re-checked plan until it ends.
 */
interface Judged {
  readonly edits: ReadonlyMap<string, PlanItem | undefined>;
  /** The conflicts the change introduces, as an option's re-check reports them. */
  readonly newConflicts: Resolution['recheck']['newConflicts'];
  /** The severity rank of the worst of them (0 when there is none). */
  readonly worstNew: number;
  /** The proposing conflicts, and what the change did to each (same order). */
  readonly proposers: readonly Finding[];
  readonly outcomes: readonly Outcome[];
}

/** The patched plan and the conflicts around a change, while its verdicts are made. */
interface Recheck {
  /** The patched plan. */
  readonly patched: CarePlan;
  /** The items the change added, replaced or removed (its edits, by id). */
  readonly changed: ReadonlyMap<string, unknown>;
  /** The conflicts of the patched plan around the change (see `judge`). */
  readonly after: readonly Finding[];
  /** Conflicts the change brings that were not there before, even under another name. */
  readonly introduced: readonly Finding[];
}

/** A participant as a conflict's shape sees it (see `sameShape`): a changed item blanked out, any other by its item id or name. */
function shapeName(p: Participant, changed: ReadonlyMap<string, unknown>): string {
  return p.planItem !== undefined && changed.has(p.planItem) ? '*' : p.planItem ?? p.name;
}

/** How many of a conflict's participants have this name in its shape. */
function shapeCount(f: Finding, name: string, changed: ReadonlyMap<string, unknown>): number {
  let count = 0;
  for (let i = 0; i < f.participants.length; i++) if (shapeName(f.participants[i] as Participant, changed) === name) count++;
  return count;
}

/**
 * Whether two conflicts have the same shape: the same kind, rule, severity and certainty, and
 * the same participants in any order once the changed items are blanked out. A substitute that
 * meets the same rule as the drug it replaces (sertraline, like citalopram, with possible
 * hyponatraemia) brings no new conflict, only the old one under a new name. Compared field by
 * field: a re-check asks it of every new id against each conflict of the changed items.
 */
function sameShape(f: Finding, g: Finding, changed: ReadonlyMap<string, unknown>): boolean {
  if (f.kind !== g.kind || (f.rule ?? '') !== (g.rule ?? '') || f.severity !== g.severity || f.certainty !== g.certainty || f.participants.length !== g.participants.length) return false;
  for (let i = 0; i < f.participants.length; i++) {
    const name = shapeName(f.participants[i] as Participant, changed);
    if (shapeCount(f, name, changed) !== shapeCount(g, name, changed)) return false;
  }
  return true;
}

/** The conflicts of one check, indexed for re-checking changes against them. */
interface Baseline {
  readonly context: DetectContext;
  /** The conflicts. */
  readonly before: readonly Finding[];
  readonly ids: ReadonlySet<string>;
  /** Plan item id → the conflicts it takes part in; made when first needed (see `conflictsOfItem`). */
  byItem: ReadonlyMap<string, readonly Finding[]> | undefined;
  /** Conflicts about the plan as a whole (treatment burden), which any change can alter. */
  readonly planWide: readonly Finding[];
}

function baselineOf(context: DetectContext, before: readonly Finding[]): Baseline {
  const ids = new Set<string>();
  let planWide: Finding[] | undefined;
  // Indexed loops: `for...of` over every conflict allocated an iterator.
  for (let i = 0; i < before.length; i++) {
    const f = before[i] as Finding;
    ids.add(f.id);
    if (f.items.length === 0) planWide = appendTo(planWide, f);
  }
  return { context, before, ids, byItem: undefined, planWide: planWide ?? NOTHING_NEW };
}

/**
 * The conflicts a plan item took part in. Only a re-check that finds a conflict with a new id
 * asks, and most checks have none, so the index is made the first time it is asked for.
 */
function conflictsOfItem(baseline: Baseline, id: string): readonly Finding[] {
  if (baseline.byItem === undefined) {
    const byItem = new Map<string, Finding[]>();
    for (let i = 0; i < baseline.before.length; i++) {
      const f = baseline.before[i] as Finding;
      for (let k = 0; k < f.items.length; k++) {
        const item = f.items[k] as string;
        const list = byItem.get(item);
        if (list === undefined) byItem.set(item, [f]);
        else list.push(f);
      }
    }
    baseline.byItem = byItem;
  }
  return baseline.byItem.get(id) ?? NOTHING_NEW;
}

/**
 * Applies a change to an overlay of the plan and detects again every conflict it can alter:
 * those involving a changed item, and the contradictions an advice or drug it took out leaves
 * changed (see the contradiction detector). A conflict among untouched items is the same
 * conflict as before, except that a mitigation the change adds may now cover it; `outcomeFor`
 * checks that directly. Then gives the verdict for every conflict that proposes the change.
 */
function judge(candidate: Candidate, baseline: Baseline, proposers: readonly Finding[]): Judged | undefined {
  const { context } = baseline;
  const overlay = new Overlay(context.plan);
  candidate.change(overlay);
  const { edits } = overlay;
  if (edits.size === 0) return undefined;
  const patched = changedPlan(context.plan, edits);
  // A literal, not a spread of the context: objects V8 clones by spread made each young-generation collection of a check about twice as slow.
  const after = findConflicts({ plan: patched, view: context.view, knowledge: context.knowledge, focus: edits });
  const unseen = notIn(after, baseline.ids);
  // Only the conflicts a change introduces are reported, so only they are put in canonical order.
  const result: Recheck = { patched, changed: edits, after, introduced: unseen.length === 0 ? unseen : sortInPlace(renamedAway(unseen, edits, baseline), compareFindings) };
  let worstNew = 0;
  for (let i = 0; i < result.introduced.length; i++) worstNew = Math.max(worstNew, severityRank((result.introduced[i] as Finding).severity));
  return {
    edits,
    newConflicts: result.introduced.length === 0 ? NO_NEW_CONFLICTS : result.introduced.map((f) => ({ id: f.id, kind: f.kind, severity: f.severity })),
    worstNew,
    proposers,
    outcomes: proposers.map((f) => outcomeFor(f, result, context.knowledge)),
  };
}

/** The conflicts whose id is not among these, in their order (most often none: a shared empty list). */
function notIn(findings: readonly Finding[], ids: ReadonlySet<string>): readonly Finding[] {
  let out: Finding[] | undefined;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    if (!ids.has(f.id)) out = appendTo(out, f);
  }
  return out ?? NOTHING_NEW;
}

/**
 * The conflicts with a new id that are new in substance: those that are not an earlier
 * conflict under a new name (see `sameShape`). Only a conflict that involved a changed item (or
 * the whole plan) can reappear so.
 */
function renamedAway(unseen: readonly Finding[], changed: ReadonlyMap<string, unknown>, baseline: Baseline): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < unseen.length; i++) {
    const f = unseen[i] as Finding;
    if (!reappears(f, changed, baseline)) out.push(f);
  }
  return out;
}

/** Whether a conflict has the same shape as any in a list (see `sameShape`). */
function sameShapeIn(f: Finding, list: readonly Finding[], changed: ReadonlyMap<string, unknown>): boolean {
  for (let i = 0; i < list.length; i++) if (sameShape(f, list[i] as Finding, changed)) return true;
  return false;
}

/** Whether a conflict with a new id is one of the changed items' (or the whole plan's) earlier conflicts, renamed. */
function reappears(f: Finding, changed: ReadonlyMap<string, unknown>, baseline: Baseline): boolean {
  if (sameShapeIn(f, baseline.planWide, changed)) return true;
  for (const id of changed.keys()) if (sameShapeIn(f, conflictsOfItem(baseline, id), changed)) return true;
  return false;
}

/** Whether a re-checked change resolves or newly mitigates a conflict. */
function outcomeFor(finding: Finding, result: Recheck, knowledge: KnowledgeBase): Outcome {
  if (finding.items.length > 0 && !anyFocused(finding.items, result.changed)) {
    return finding.mitigated !== true && isMitigated(result.patched, finding.mitigatedBy, knowledge, finding.items) ? 'mitigated' : undefined;
  }
  const same = findingWithId(result.after, finding.id);
  if (same === undefined) return 'resolved';
  return same.mitigated === true && finding.mitigated !== true ? 'mitigated' : undefined;
}

/**
 * A change's verdict for one conflict that proposes it, as the option's re-check: it passes only
 * if the conflict is gone (resolved) or newly mitigated, and no conflict it introduces is as
 * severe; undefined otherwise.
 */
function verdictFor(judged: Judged, finding: Finding): Resolution['recheck'] | undefined {
  const outcome = judged.outcomes[judged.proposers.indexOf(finding)];
  if (outcome === undefined || judged.worstNew >= severityRank(finding.severity)) return undefined;
  // Field by field in the contract's order.
  const recheck = { outcome } as Resolution['recheck'];
  if (outcome === 'mitigated') recheck.residualSeverity = finding.severity;
  recheck.newConflicts = judged.newConflicts.length === 0 ? NO_NEW_CONFLICTS : [...judged.newConflicts];
  return recheck;
}

/**
 * Records the immer patches of the offered changes on each: each change's edits replayed on an
 * immer draft of the items they touch, and named as the plan names them (`['items', id]`), so
 * they apply to the whole plan. All of a check's options are recorded in one flat draft, one slot
 * per edited item of each change, so a check pays immer's fixed cost (proxies, finalising,
 * inverse patches) once rather than once per option.
 */
function recordPatches(changes: readonly ProposedChange[], plan: CarePlan): void {
  const slots: { readonly change: ProposedChange; readonly id: string; readonly item: PlanItem | undefined }[] = [];
  const base: Record<string, PlanItem> = {};
  for (const change of changes) {
    change.patches = [];
    for (const [id, item] of change.judgement?.edits ?? []) {
      const before = plan.items[id];
      if (before !== undefined) base[slots.length] = before;
      slots.push({ change, id, item });
    }
  }
  const [, patches] = recorder.produceWithPatches(base, (draft) => {
    slots.forEach(({ item }, slot) => {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- slots are keyed by number by design
      if (item === undefined) delete draft[slot];
      else draft[slot] = castDraft(frozenItem(item));
    });
  });
  for (const patch of patches) {
    const slot = slots[Number(patch.path[0])];
    if (slot === undefined) continue;
    // Immer made these patches for this call alone, so each is renamed in place to the plan's path.
    patch.path = ['items', slot.id];
    slot.change.patches?.push(patch);
  }
}

/**
 * The severity rank left after an option: the mitigated conflict's own severity, or the worst
 * conflict the option introduces, whichever is higher (0 when nothing remains).
 */
function residual(recheck: Resolution['recheck'], worstNew: number): number {
  return Math.max(recheck.residualSeverity === undefined ? 0 : severityRank(recheck.residualSeverity), worstNew);
}

/**
 * Orders verified options: by residual severity, then added burden, then strength of evidence,
 * then as candidates are verified (see `compareCandidates`).
 */
function compareVerified(a: Verified, b: Verified): number {
  return a.residual - b.residual || compareProposals(a.proposal, b.proposal);
}

/** Orders one conflict's proposals for verification (see `compareCandidates`). */
function compareProposals(a: Proposal, b: Proposal): number {
  return compareCandidates(a.candidate, a.change.support, b.candidate, b.change.support);
}

/**
 * The order in which candidates are verified: least added burden, then strongest evidence (the
 * ranking's later keys); between candidates still equal, the change more of the patient's
 * definite conflicts propose first (stopping amitriptyline, which also meets coronary heart
 * disease and an arrhythmia, before stopping amiodarone); last by description, so the order
 * never depends on chance.
 */
function compareCandidates(a: Candidate, aSupport: number, b: Candidate, bSupport: number): number {
  return (
    a.addedBurden - b.addedBurden ||
    a.evidence - b.evidence ||
    bSupport - aSupport ||
    (a.description < b.description ? -1 : a.description > b.description ? 1 : 0)
  );
}

/** No proposals for a conflict (shared and frozen: sorting an empty list changes nothing). */
const NO_PROPOSALS = Object.freeze([]) as unknown as Proposal[];

/**
 * Every strategy's candidates for a conflict, in the order of the strategies, each with the
 * change it proposes: a change met for the first time is added to `changes` (by key), and the
 * conflict is counted among its proposers. A new list (it is sorted in place), made to size.
 */
function proposals(finding: Finding, context: DetectContext, changes: Map<string, ProposedChange>): Proposal[] {
  let all: Proposal[] | undefined;
  for (let s = 0; s < strategies.length; s++) {
    const candidates = (strategies[s] as Strategy).propose(finding, context);
    for (let k = 0; k < candidates.length; k++) {
      const candidate = candidates[k] as Candidate;
      let change = changes.get(candidate.key);
      if (change === undefined) changes.set(candidate.key, (change = { candidate, proposers: [], support: 0, judged: false, judgement: undefined, patches: undefined }));
      change.proposers.push(finding);
      if (finding.certainty === 'definite') change.support++;
      all = appendTo(all, { candidate, change });
    }
  }
  return all ?? NO_PROPOSALS;
}

/** A change's re-check, made the first time it is asked for (see `judge`). */
function judgedOnce(change: ProposedChange, baseline: Baseline): Judged | undefined {
  if (!change.judged) {
    change.judged = true;
    change.judgement = judge(change.candidate, baseline, change.proposers);
  }
  return change.judgement;
}

/** No changes offered (shared, never changed). */
const NOTHING_OFFERED: readonly ProposedChange[] = Object.freeze([]);

/** The changes offered in a check, each once, in the order first offered. */
function offeredChanges(offered: readonly (readonly Verified[])[]): readonly ProposedChange[] {
  let changes: ProposedChange[] | undefined;
  for (const options of offered) {
    for (let k = 0; k < options.length; k++) {
      const { change } = (options[k] as Verified).proposal;
      if (change.judgement === undefined || changes?.includes(change) === true) continue;
      changes = appendTo(changes, change);
    }
  }
  return changes ?? NOTHING_OFFERED;
}

/**
 * Resolves the conflicts of one check, giving each its verified options (in the conflicts'
 * order). Every conflict's candidates are proposed first, so that a change is re-checked once
 * however many conflicts propose it and judged for all of them at once. Candidates are verified
 * in the order of the ranking's later keys, so once enough options leave nothing behind
 * (residual severity 0, the first key) no later candidate could rank above them and
 * verification stops. The patches of the options offered are recorded last, together.
 */
export function resolveConflicts(context: DetectContext, findings: readonly Finding[]): Resolution[][] {
  const baseline = baselineOf(context, findings);
  const changes = new Map<string, ProposedChange>();
  const proposed = findings.map((f) => proposals(f, context, changes));
  for (const list of proposed) sortInPlace(list, compareProposals);
  const offered = findings.map((finding, i): readonly Verified[] => {
    let verified: Verified[] | undefined;
    let clean = 0;
    const list = proposed[i] ?? NO_PROPOSALS;
    for (let k = 0; k < list.length; k++) {
      const proposal = list[k] as Proposal;
      const judgement = judgedOnce(proposal.change, baseline);
      if (judgement === undefined) continue;
      const recheck = verdictFor(judgement, finding);
      if (recheck === undefined) continue;
      const passed = { proposal, recheck, residual: residual(recheck, judgement.worstNew) };
      verified = appendTo(verified, passed);
      if (passed.residual === 0 && ++clean === MAX_OPTIONS) break;
    }
    if (verified === undefined) return NOTHING_VERIFIED;
    sortInPlace(verified, compareVerified).length = Math.min(verified.length, MAX_OPTIONS);
    return verified;
  });
  const toRecord = offeredChanges(offered);
  if (toRecord.length > 0) recordPatches(toRecord, context.plan);
  return offered.map((options) =>
    options.map((v, i) => {
      const { candidate, change } = v.proposal;
      const resolution: Resolution = {
        rank: i + 1,
        strategy: candidate.strategy,
        description: candidate.description,
        patches: change.patches ?? [],
        recheck: v.recheck,
        addedBurden: candidate.addedBurden,
      };
      if (candidate.sources.length > 0) resolution.sources = [...candidate.sources];
      return resolution;
    }),
  );
}
