import type { Predicate } from '../schema/generated/common.js';
import type { Pathway, Recommendation, Step } from '../schema/generated/pathway.js';
import { ingredientsOf, type KnowledgeBase } from '../knowledge/types.js';
import type { LoadIssue, LoadOptions } from '../schema/issues.js';
import { describeTarget } from './describe.js';
import { referenceIssues } from './references.js';
import { canBeTrue } from './satisfiable.js';

/** The stable code of a lint finding. */
export type LintCode =
  | LoadIssue['code']
  | 'CP_DUPLICATE_STEP_ID'
  | 'CP_DUPLICATE_RECOMMENDATION_ID'
  | 'CP_UNREACHABLE_STEP'
  | 'CP_NEVER_TRUE'
  | 'CP_EMPTY_STEP'
  | 'CP_UNLISTED_SOURCE'
  | 'CP_CONTRADICTORY_STEPS'
  | 'CP_EMPTY_CLASS';

/** One thing the linter found, at a JSON pointer in a file. */
export interface LintFinding {
  /** A stable code for tools. */
  readonly code: LintCode;
  /** `error` must be fixed; `warning` should be looked at. Both make `carepath lint` fail. */
  readonly severity: 'error' | 'warning';
  /** The file, when known. */
  readonly file?: string;
  /** A JSON pointer to the place. */
  readonly pointer: string;
  /** What is wrong and what to do. */
  readonly message: string;
}

/** Turns load issues (schema, references) into error findings. */
export function issuesAsFindings(issues: readonly LoadIssue[]): LintFinding[] {
  return issues.map((i) => ({ code: i.code, severity: 'error', ...(i.file === undefined ? {} : { file: i.file }), pointer: i.pointer, message: i.message }));
}

/** A step with the predicates that must all hold for it to apply. */
interface Reach {
  readonly step: Step;
  readonly pointer: string;
  readonly conditions: readonly (Predicate | 'never')[];
}

/** Every step with the conjunction that reaches it: the entry, each ancestor's `when`, earlier exclusive siblings negated, its own `when`. */
function reaches(pathway: Pathway): Reach[] {
  const result: Reach[] = [];
  const walk = (steps: readonly Step[], base: string, inherited: readonly (Predicate | 'never')[], exclusive: boolean): void => {
    const earlier: (Predicate | 'never')[] = [];
    steps.forEach((step, i) => {
      const pointer = `${base}/${i}`;
      const own: (Predicate | 'never')[] = step.when === undefined ? [] : [step.when];
      const conditions = [...inherited, ...earlier, ...own];
      result.push({ step, pointer, conditions });
      if (exclusive) earlier.push(step.when === undefined ? 'never' : { kind: 'not', predicate: step.when });
      if (step.children !== undefined) walk(step.children, `${pointer}/children`, conditions, step.exclusive === true);
    });
  };
  walk(pathway.steps, '/steps', [pathway.entry], false);
  return result;
}

const drugKinds = new Set(['start', 'continue']);
const againstKinds = new Set(['avoid', 'stop']);

/** The ingredients a recommendation's target covers (none for tests, activities and referrals). */
function targetIngredients(recommendation: Recommendation, knowledge: KnowledgeBase): Set<string> {
  const t = recommendation.target;
  if (t.type === 'ingredient') return new Set([t.ingredient]);
  if (t.type === 'class') return new Set(ingredientsOf(knowledge, { class: t.class }));
  if (t.type === 'combination') return new Set(t.components.flatMap((c) => [...ingredientsOf(knowledge, c)]));
  return new Set();
}

/**
 * Lints one validated pathway against a knowledge base: unknown references and units, duplicate
 * ids, steps that can never apply (including those shadowed by an earlier exclusive sibling),
 * empty steps, sources not listed in the pathway's sources, and pairs of steps that can apply
 * together while one starts or continues a drug the other avoids or stops.
 */
export function lintPathway(pathway: Pathway, knowledge: KnowledgeBase, options: LoadOptions = {}): LintFinding[] {
  const at = (code: LintCode, severity: LintFinding['severity'], pointer: string, message: string): LintFinding =>
    options.file === undefined ? { code, severity, pointer, message } : { code, severity, file: options.file, pointer, message };
  const findings: LintFinding[] = issuesAsFindings(referenceIssues(pathway, knowledge, options));
  const all = reaches(pathway);

  const stepIds = new Map<string, string>();
  const recommendationIds = new Map<string, string>();
  const listed = new Set(pathway.sources.map((s) => s.guideline));
  for (const { step, pointer } of all) {
    const previous = stepIds.get(step.id);
    if (previous !== undefined) findings.push(at('CP_DUPLICATE_STEP_ID', 'error', `${pointer}/id`, `step id "${step.id}" is already used at ${previous}; step ids must be unique within a pathway`));
    else stepIds.set(step.id, pointer);
    if ((step.recommendations ?? []).length === 0 && (step.children ?? []).length === 0) {
      findings.push(at('CP_EMPTY_STEP', 'warning', pointer, `step "${step.id}" has neither recommendations nor children; remove it or give it content`));
    }
    (step.recommendations ?? []).forEach((r, i) => {
      const rp = `${pointer}/recommendations/${i}`;
      const before = recommendationIds.get(r.id);
      if (before !== undefined) findings.push(at('CP_DUPLICATE_RECOMMENDATION_ID', 'error', `${rp}/id`, `recommendation id "${r.id}" is already used at ${before}`));
      else recommendationIds.set(r.id, rp);
      if (!listed.has(r.source.guideline)) {
        findings.push(at('CP_UNLISTED_SOURCE', 'warning', `${rp}/source/guideline`, `"${r.source.guideline}" is not among the pathway's sources (${[...listed].join(', ')}); add it to /sources so reviewers see every document the pathway rests on`));
      }
    });
  }
  if (findings.some((f) => f.code === 'CP_UNKNOWN_REFERENCE' || f.code === 'CP_BAD_UNIT')) return findings;

  if (!canBeTrue([pathway.entry])) findings.push(at('CP_NEVER_TRUE', 'error', '/entry', 'the entry predicate can never be true, so the pathway never applies'));
  for (const reach of all) {
    if (canBeTrue(reach.conditions)) continue;
    const shadowed = reach.conditions.includes('never');
    findings.push(
      shadowed
        ? at('CP_UNREACHABLE_STEP', 'error', reach.pointer, `step "${reach.step.id}" is unreachable: an earlier exclusive sibling has no "when", so it always applies first`)
        : at('CP_NEVER_TRUE', 'error', reach.step.when === undefined ? reach.pointer : `${reach.pointer}/when`, `step "${reach.step.id}" can never apply: its "when" contradicts the conditions that lead to it`),
    );
  }
  findings.push(...contradictions(all, knowledge, at));
  return findings;
}

function contradictions(
  all: readonly Reach[],
  knowledge: KnowledgeBase,
  at: (code: LintCode, severity: LintFinding['severity'], pointer: string, message: string) => LintFinding,
): LintFinding[] {
  const pros = all.flatMap((reach) => (reach.step.recommendations ?? []).flatMap((r, i) => (drugKinds.has(r.kind) ? [{ reach, r, i }] : [])));
  const cons = all.flatMap((reach) => (reach.step.recommendations ?? []).flatMap((r, i) => (againstKinds.has(r.kind) ? [{ reach, r, i }] : [])));
  const findings: LintFinding[] = [];
  for (const pro of pros) {
    const proDrugs = targetIngredients(pro.r, knowledge);
    for (const con of cons) {
      // Avoiding a combination is contradicted only by starting the whole combination.
      if (con.r.target.type === 'combination' && !con.r.target.components.every((c) => [...ingredientsOf(knowledge, c)].some((d) => proDrugs.has(d)))) continue;
      const shared = [...targetIngredients(con.r, knowledge)].filter((d) => proDrugs.has(d));
      if (shared.length === 0) continue;
      if (!canBeTrue([...pro.reach.conditions, ...con.reach.conditions])) continue;
      findings.push(
        at(
          'CP_CONTRADICTORY_STEPS',
          'error',
          `${con.reach.pointer}/recommendations/${con.i}`,
          `"${con.r.id}" (${con.r.kind} ${describeTarget(con.r.target, knowledge)}) can apply together with "${pro.r.id}" at ${pro.reach.pointer}/recommendations/${pro.i} (${pro.r.kind} ${describeTarget(pro.r.target, knowledge)}); they overlap on ${shared.slice(0, 3).join(', ')}. Make their conditions exclusive or drop one`,
        ),
      );
    }
  }
  return findings;
}

/** Lints a compiled knowledge base beyond what compiling checks: classes without members. */
export function lintKnowledge(knowledge: KnowledgeBase): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const [id, compiled] of knowledge.classes) {
    if (compiled.members.size > 0) continue;
    const origin = knowledge.origins.get(`classes:${id}`);
    findings.push({
      code: 'CP_EMPTY_CLASS',
      severity: 'warning',
      ...(origin?.file === undefined ? {} : { file: origin.file }),
      pointer: origin?.pointer ?? '',
      message: `class "${id}" has no members: no listed ingredient, no ingredient with its ATC prefixes, no included class with members`,
    });
  }
  return findings;
}
