import type { Predicate } from '../schema/generated/common.js';
import type { Pathway, Recommendation, Step } from '../schema/generated/pathway.js';

/** A step with its JSON pointer, as met in a depth-first walk. */
export interface StepVisit {
  /** The step. */
  readonly step: Step;
  /** Its JSON pointer in the pathway document. */
  readonly pointer: string;
}

/** Every step of a pathway, depth-first in document order. */
export function stepsOf(pathway: Pathway): StepVisit[] {
  const visits: StepVisit[] = [];
  const visit = (steps: readonly Step[], base: string): void => {
    steps.forEach((step, i) => {
      const pointer = `${base}/${i}`;
      visits.push({ step, pointer });
      if (step.children !== undefined) visit(step.children, `${pointer}/children`);
    });
  };
  visit(pathway.steps, '/steps');
  return visits;
}

/** Every recommendation of a pathway with its step and JSON pointer. */
export function recommendationsOf(pathway: Pathway): { recommendation: Recommendation; step: StepVisit; pointer: string }[] {
  return stepsOf(pathway).flatMap((visit) =>
    (visit.step.recommendations ?? []).map((recommendation, i) => ({ recommendation, step: visit, pointer: `${visit.pointer}/recommendations/${i}` })),
  );
}

/** Every predicate of a pathway (entry and each step's `when`) with its pointer. */
export function pathwayPredicates(pathway: Pathway): { predicate: Predicate; pointer: string }[] {
  return [
    { predicate: pathway.entry, pointer: '/entry' },
    ...stepsOf(pathway).flatMap((v) => (v.step.when === undefined ? [] : [{ predicate: v.step.when, pointer: `${v.pointer}/when` }])),
  ];
}
