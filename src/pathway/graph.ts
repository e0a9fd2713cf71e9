import type { Need } from '../schema/generated/report.js';
import type { Pathway, Recommendation, Step } from '../schema/generated/pathway.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { LoadOptions, LoadResult } from '../schema/issues.js';
import { evalAnd, evalNot, evalOr, FALSE, TRUE, type Evaluation } from './evaluation.js';
import { compilePredicate, type CompiledPredicate, type TraceSink } from './predicate.js';
import { referenceIssues } from './references.js';
import type { PatientView } from './view.js';

/** A step compiled once: its predicate as a closure and its children. */
export interface CompiledStep {
  /** The step as written. */
  readonly step: Step;
  /** Its JSON pointer in the pathway. */
  readonly pointer: string;
  /** Its `when`, compiled; undefined when the step has none (it applies whenever its parent does). */
  readonly when?: CompiledPredicate;
  /** Its children, compiled. */
  readonly children: readonly CompiledStep[];
  /** Whether the children are if / else-if alternatives. */
  readonly exclusive: boolean;
}

/** A pathway compiled once into closures, ready to evaluate many patients. */
export interface CompiledPathway {
  /** The pathway as written. */
  readonly pathway: Pathway;
  /** Its entry predicate, compiled. */
  readonly entry: CompiledPredicate;
  /** Its top-level steps, compiled. */
  readonly steps: readonly CompiledStep[];
}

/** A recommendation made for one patient, with where it came from and how sure it is. */
export interface FiredRecommendation {
  /** The pathway id. */
  readonly pathway: string;
  /** The step id. */
  readonly step: string;
  /** The recommendation as written. */
  readonly recommendation: Recommendation;
  /** `definite` when the step surely applies; `possible` when that hinges on unknown data. */
  readonly certainty: 'definite' | 'possible';
  /** For a possible recommendation: the data that would settle it. */
  readonly needs: readonly Need[];
}

/** Whether a step applied to the patient, and why not when it is unknown. */
export interface StepOutcome {
  /** The step id. */
  readonly step: string;
  /** Its JSON pointer. */
  readonly pointer: string;
  /** Whether it applied (parent, earlier exclusive siblings and its own `when` combined). */
  readonly applies: Evaluation;
}

/** The result of walking one pathway for one patient. */
export interface PathwayEvaluation {
  /** The pathway. */
  readonly pathway: Pathway;
  /** Whether its entry condition held. */
  readonly applies: Evaluation;
  /** Every step reached with a value other than false, in document order. */
  readonly steps: readonly StepOutcome[];
  /** Recommendations of steps that apply (definite) or may apply (possible). */
  readonly recommendations: readonly FiredRecommendation[];
}

/**
 * Compiles a validated pathway against a knowledge base: every reference is checked first
 * (unknown ids and units are issues, returned together), then each predicate becomes a closure.
 */
export function compilePathway(pathway: Pathway, knowledge: KnowledgeBase, options: LoadOptions = {}): LoadResult<CompiledPathway> {
  const issues = referenceIssues(pathway, knowledge, options);
  if (issues.length > 0) return { ok: false, issues };
  const compileSteps = (steps: readonly Step[], base: string): CompiledStep[] =>
    steps.map((step, i) => {
      const pointer = `${base}/${i}`;
      return {
        step,
        pointer,
        ...(step.when === undefined ? {} : { when: compilePredicate(step.when, knowledge, `${pointer}/when`) }),
        children: compileSteps(step.children ?? [], `${pointer}/children`),
        exclusive: step.exclusive === true,
      };
    });
  return {
    ok: true,
    value: Object.freeze({ pathway, entry: compilePredicate(pathway.entry, knowledge, '/entry'), steps: compileSteps(pathway.steps, '/steps') }),
  };
}

/**
 * Walks a compiled pathway for one patient. A step applies when its parent applies, its own
 * `when` holds and (for exclusive children) every earlier sibling's `when` is false, all in
 * Kleene logic; a step that is unknown makes its recommendations possible, carrying the data
 * that would settle them. Pure: the view is only read.
 */
export function evaluatePathway(compiled: CompiledPathway, view: PatientView, trace?: TraceSink): PathwayEvaluation {
  const applies = compiled.entry(view, trace);
  const steps: StepOutcome[] = [];
  const recommendations: FiredRecommendation[] = [];
  const walk = (list: readonly CompiledStep[], parent: Evaluation, exclusive: boolean): void => {
    let earlier: Evaluation = FALSE;
    // Indexed loops: every check walks every pathway, and `for...of` allocated an iterator per list.
    for (let n = 0; n < list.length; n++) {
      const node = list[n] as CompiledStep;
      const own = node.when === undefined ? TRUE : node.when(view, trace);
      const reached = evalAnd(evalAnd(parent, exclusive ? evalNot(earlier) : TRUE), own);
      if (exclusive) earlier = evalOr(earlier, own);
      if (reached.value === false) continue;
      steps.push({ step: node.step.id, pointer: node.pointer, applies: reached });
      const fired = node.step.recommendations ?? [];
      for (let r = 0; r < fired.length; r++) {
        const recommendation = fired[r] as Recommendation;
        recommendations.push({
          pathway: compiled.pathway.id,
          step: node.step.id,
          recommendation,
          certainty: reached.value === true ? 'definite' : 'possible',
          needs: reached.needs,
        });
      }
      walk(node.children, reached, node.exclusive);
    }
  };
  if (applies.value !== false) walk(compiled.steps, applies, false);
  return { pathway: compiled.pathway, applies, steps, recommendations };
}
