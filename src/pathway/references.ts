import type { DrugRef } from '../schema/generated/common.js';
import type { Pathway } from '../schema/generated/pathway.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { unitConversion } from '../knowledge/units.js';
import { closest, makeIssue, type LoadIssue, type LoadOptions } from '../schema/issues.js';
import { predicateNodes, predicateReferences } from '../schema/predicate-nodes.js';
import { pathwayPredicates, recommendationsOf } from './walk.js';

/**
 * Checks that everything a pathway names exists in the knowledge base: its condition, the
 * concepts, ingredients, classes and events its predicates use, and its recommendation
 * targets; and that each observation threshold's unit converts to the concept's unit.
 */
export function referenceIssues(pathway: Pathway, knowledge: KnowledgeBase, options: LoadOptions = {}): LoadIssue[] {
  const issues: LoadIssue[] = [];
  const check = (kind: string, id: string, known: ReadonlyMap<string, unknown>, pointer: string): void => {
    if (known.has(id)) return;
    const guess = closest(id, [...known.keys()]);
    issues.push(makeIssue('CP_UNKNOWN_REFERENCE', pointer, `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} defined in the knowledge base`, `"${id}"`, options, guess === undefined ? undefined : `did you mean "${guess}"?`));
  };
  const checkDrug = (ref: DrugRef, pointer: string): void => {
    if ('ingredient' in ref) check('ingredient', ref.ingredient, knowledge.ingredients, `${pointer}/ingredient`);
    else check('class', ref.class, knowledge.classes, `${pointer}/class`);
  };

  check('condition', pathway.condition, knowledge.conditions, '/condition');
  const known = { condition: knowledge.conditions, observation: knowledge.observations, event: knowledge.events, ingredient: knowledge.ingredients, class: knowledge.classes };
  for (const { predicate, pointer } of pathwayPredicates(pathway)) {
    for (const reference of predicateReferences(predicate, pointer)) check(reference.kind, reference.id, known[reference.kind], reference.pointer);
    for (const { node, pointer: at } of predicateNodes(predicate, pointer)) {
      if (node.kind !== 'observation') continue;
      const concept = knowledge.observations.get(node.concept);
      if (concept !== undefined && unitConversion(concept, node.unit) === undefined) {
        const accepted = [concept.definition.unit, ...(concept.definition.conversions ?? []).map((c) => c.unit)].map((u) => `"${u}"`).join(', ');
        issues.push(makeIssue('CP_BAD_UNIT', `${at}/unit`, `a unit of ${concept.definition.name}: ${accepted}`, `"${node.unit}"`, options));
      }
    }
  }
  for (const { recommendation, pointer } of recommendationsOf(pathway)) {
    const target = recommendation.target;
    const at = `${pointer}/target`;
    if (target.type === 'ingredient') check('ingredient', target.ingredient, knowledge.ingredients, `${at}/ingredient`);
    if (target.type === 'class') check('class', target.class, knowledge.classes, `${at}/class`);
    if (target.type === 'combination') target.components.forEach((c, i) => checkDrug(c, `${at}/components/${i}`));
    if (target.type === 'test' && target.observation !== undefined) check('observation', target.observation, knowledge.observations, `${at}/observation`);
  }
  return issues;
}
