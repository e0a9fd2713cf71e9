import type { Predicate } from '../schema/generated/common.js';
import type { Pathway, Recommendation, Step } from '../schema/generated/pathway.js';

/** A step with its JSON pointer and its ancestors, as met in a depth-first walk. */
export interface StepVisit {
  /** The step. */
  readonly step: Step;
  /** Its JSON pointer in the pathway document. */
  readonly pointer: string;
  /** Its ancestors, outermost first, with their pointers. */
  readonly ancestors: readonly { readonly step: Step; readonly pointer: string }[];
  /** Its earlier siblings when the parent's children are exclusive (each must be false for this one to apply). */
  readonly excludedBy: readonly { readonly step: Step; readonly pointer: string }[];
}

/** Every step of a pathway, depth-first in document order. */
export function stepsOf(pathway: Pathway): StepVisit[] {
  const visits: StepVisit[] = [];
  const visit = (steps: readonly Step[], base: string, ancestors: StepVisit['ancestors'], exclusive: boolean): void => {
    steps.forEach((step, i) => {
      const pointer = `${base}/${i}`;
      const excludedBy = exclusive ? steps.slice(0, i).map((s, j) => ({ step: s, pointer: `${base}/${j}` })) : [];
      visits.push({ step, pointer, ancestors, excludedBy });
      if (step.children !== undefined) visit(step.children, `${pointer}/children`, [...ancestors, { step, pointer }], step.exclusive === true);
    });
  };
  visit(pathway.steps, '/steps', [], false);
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
