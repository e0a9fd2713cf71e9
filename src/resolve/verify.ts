import { enablePatches, produceWithPatches } from 'immer';
import type { Patch, Resolution } from '../schema/generated/report.js';
import { detectConflicts } from '../conflict/index.js';
import { severityRank, type DetectContext, type Finding } from '../conflict/types.js';
import type { CarePlan } from '../plan/types.js';
import { strategies } from './strategies/index.js';
import type { Candidate, MutablePlan } from './types.js';

enablePatches();

/** How many verified options are kept for one conflict. */
const MAX_OPTIONS = 3;

/** A candidate that survived its re-check, with what the re-check found. */
interface Verified {
  readonly candidate: Candidate;
  readonly recheck: Resolution['recheck'];
}

/**
 * Applies a candidate to a copy of the plan and re-checks the patched plan: every conflict that
 * can have changed (those involving an item the candidate changed, and the conflict's own
 * items) is detected again. The candidate passes only if its conflict is gone (resolved) or
 * newly mitigated, and no conflict it introduces is as severe as the one it resolves.
 */
/**
 * A conflict's shape with the changed items blanked out: a substitute that meets the same rule
 * as the drug it replaces (sertraline, like citalopram, with possible hyponatraemia) brings no
 * new conflict, only the old one under a new name.
 */
function shape(f: Finding, changed: ReadonlySet<string>): string {
  const who = f.participants.map((p) => (p.planItem !== undefined && changed.has(p.planItem) ? '*' : p.planItem ?? p.name)).sort();
  return [f.kind, f.rule ?? '', f.severity, f.certainty, ...who].join('|');
}

function verify(candidate: Candidate, finding: Finding, context: DetectContext, before: readonly Finding[]): Verified | undefined {
  const copy: MutablePlan = { items: { ...context.plan.items } };
  candidate.change(copy);
  const patched: CarePlan = copy;
  const changed = new Set<string>();
  for (const [id, item] of Object.entries(patched.items)) if (context.plan.items[id] !== item) changed.add(id);
  for (const id of Object.keys(context.plan.items)) if (patched.items[id] === undefined) changed.add(id);
  if (changed.size === 0) return undefined;
  const focus = new Set([...finding.items, ...changed]);
  const after = detectConflicts({ ...context, plan: patched, focus });
  const same = after.find((f) => f.id === finding.id);
  const outcome = same === undefined ? 'resolved' : same.mitigated === true && finding.mitigated !== true ? 'mitigated' : undefined;
  if (outcome === undefined) return undefined;
  const beforeIds = new Set(before.map((f) => f.id));
  const beforeShapes = new Set(before.map((f) => shape(f, changed)));
  const introduced = after.filter((f) => !beforeIds.has(f.id) && !beforeShapes.has(shape(f, changed)));
  if (introduced.some((f) => severityRank(f.severity) >= severityRank(finding.severity))) return undefined;
  return {
    candidate,
    recheck: {
      outcome,
      ...(outcome === 'mitigated' ? { residualSeverity: finding.severity } : {}),
      newConflicts: introduced.map((f) => ({ id: f.id, kind: f.kind, severity: f.severity })),
    },
  };
}

/** The immer patches of an offered option: the same change, recorded on a draft of the plan. */
function patchesOf(candidate: Candidate, plan: CarePlan): Patch[] {
  const [, patches] = produceWithPatches(plan, (draft) => {
    candidate.change(draft);
  });
  return patches;
}

/**
 * The severity left after an option: the mitigated conflict's own severity, or the worst
 * conflict the option introduces, whichever is higher (0 when nothing remains).
 */
function residual(v: Verified): number {
  const left = v.recheck.residualSeverity === undefined ? 0 : severityRank(v.recheck.residualSeverity);
  return Math.max(left, ...v.recheck.newConflicts.map((c) => severityRank(c.severity as Finding['severity'])));
}

/** Orders verified options: by residual severity, then added burden, then strength of evidence. */
function compareVerified(a: Verified, b: Verified): number {
  return (
    residual(a) - residual(b) ||
    a.candidate.addedBurden - b.candidate.addedBurden ||
    a.candidate.evidence - b.candidate.evidence ||
    (a.candidate.description < b.candidate.description ? -1 : a.candidate.description > b.candidate.description ? 1 : 0)
  );
}

/** The order in which candidates are verified: least added burden, then strongest evidence (the later ranking keys). */
function compareCandidates(a: Candidate, b: Candidate): number {
  return a.addedBurden - b.addedBurden || a.evidence - b.evidence || (a.description < b.description ? -1 : a.description > b.description ? 1 : 0);
}

/**
 * The verified, ranked resolution options of one conflict. Candidates are verified in the
 * order of the ranking's later keys, so once enough options leave nothing behind (residual
 * severity 0, the first key) no later candidate could rank above them and verification stops.
 */
export function resolveFinding(finding: Finding, context: DetectContext, before: readonly Finding[]): Resolution[] {
  const candidates = strategies.flatMap((strategy) => strategy.propose(finding, context)).sort(compareCandidates);
  const verified: Verified[] = [];
  let clean = 0;
  for (const candidate of candidates) {
    const result = verify(candidate, finding, context, before);
    if (result === undefined) continue;
    verified.push(result);
    if (residual(result) === 0 && ++clean === MAX_OPTIONS) break;
  }
  return verified
    .sort(compareVerified)
    .slice(0, MAX_OPTIONS)
    .map((v, i) => ({
      rank: i + 1,
      strategy: v.candidate.strategy,
      description: v.candidate.description,
      patches: patchesOf(v.candidate, context.plan),
      recheck: v.recheck,
      addedBurden: v.candidate.addedBurden,
      ...(v.candidate.sources.length > 0 ? { sources: [...v.candidate.sources] } : {}),
    }));
}
