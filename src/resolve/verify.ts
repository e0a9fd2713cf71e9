import { enablePatches, produceWithPatches } from 'immer';
import type { Patch, Resolution } from '../schema/generated/report.js';
import { detectConflicts } from '../conflict/index.js';
import { severityRank, type DetectContext, type Finding } from '../conflict/types.js';
import type { CarePlan } from '../plan/types.js';
import { strategies } from './strategies/index.js';
import type { Candidate } from './types.js';

enablePatches();

/** How many verified options are kept for one conflict. */
const MAX_OPTIONS = 5;

/** A candidate that survived its re-check, with what the re-check found. */
interface Verified {
  readonly candidate: Candidate;
  readonly patches: readonly Patch[];
  readonly recheck: Resolution['recheck'];
}

/**
 * Applies a candidate to the plan as an immer patch and re-checks the whole patched plan. The
 * candidate passes only if its conflict is gone (resolved) or newly mitigated, and no conflict
 * it introduces is as severe as the one it resolves.
 */
function verify(candidate: Candidate, finding: Finding, context: DetectContext, before: ReadonlySet<string>): Verified | undefined {
  const [patched, patches] = produceWithPatches(context.plan, (draft) => {
    candidate.change(draft);
  }) as unknown as [CarePlan, Patch[]];
  if (patches.length === 0) return undefined;
  const after = detectConflicts({ ...context, plan: patched });
  const same = after.find((f) => f.id === finding.id);
  const outcome = same === undefined ? 'resolved' : same.mitigated === true && finding.mitigated !== true ? 'mitigated' : undefined;
  if (outcome === undefined) return undefined;
  const introduced = after.filter((f) => !before.has(f.id));
  if (introduced.some((f) => severityRank(f.severity) >= severityRank(finding.severity))) return undefined;
  return {
    candidate,
    patches,
    recheck: {
      outcome,
      ...(outcome === 'mitigated' ? { residualSeverity: finding.severity } : {}),
      newConflicts: introduced.map((f) => ({ id: f.id, kind: f.kind, severity: f.severity })),
    },
  };
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

/** The verified, ranked resolution options of one conflict. */
export function resolveFinding(finding: Finding, context: DetectContext, before: ReadonlySet<string>): Resolution[] {
  const verified: Verified[] = [];
  for (const strategy of strategies) {
    for (const candidate of strategy.propose(finding, context)) {
      const result = verify(candidate, finding, context, before);
      if (result !== undefined) verified.push(result);
    }
  }
  return verified
    .sort(compareVerified)
    .slice(0, MAX_OPTIONS)
    .map((v, i) => ({
      rank: i + 1,
      strategy: v.candidate.strategy,
      description: v.candidate.description,
      patches: [...v.patches],
      recheck: v.recheck,
      addedBurden: v.candidate.addedBurden,
      ...(v.candidate.sources.length > 0 ? { sources: [...v.candidate.sources] } : {}),
    }));
}
