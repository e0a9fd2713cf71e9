import type { Predicate } from './generated/common.js';

/** Every predicate node inside a predicate, with its pointer, depth-first. */
export function predicateNodes(predicate: Predicate, pointer: string): { node: Predicate; pointer: string }[] {
  const nodes: { node: Predicate; pointer: string }[] = [{ node: predicate, pointer }];
  if (predicate.kind === 'all' || predicate.kind === 'any') {
    predicate.of.forEach((p, i) => nodes.push(...predicateNodes(p, `${pointer}/of/${i}`)));
  } else if (predicate.kind === 'not') {
    nodes.push(...predicateNodes(predicate.predicate, `${pointer}/predicate`));
  }
  return nodes;
}

/** An id a predicate names, the kind of knowledge-base entry it must be, and where it stands. */
export interface PredicateReference {
  /** What the id must name. */
  readonly kind: 'condition' | 'observation' | 'event' | 'ingredient' | 'class';
  /** The id. */
  readonly id: string;
  /** The JSON pointer of the id. */
  readonly pointer: string;
}

/** Every id a predicate names (conditions, observations, events, ingredients, classes), depth-first. */
export function predicateReferences(predicate: Predicate, pointer: string): PredicateReference[] {
  return predicateNodes(predicate, pointer).flatMap(({ node, pointer: at }): PredicateReference[] => {
    switch (node.kind) {
      case 'condition':
        return [{ kind: 'condition', id: node.concept, pointer: `${at}/concept` }];
      case 'observation':
      case 'observation-recorded':
        return [{ kind: 'observation', id: node.concept, pointer: `${at}/concept` }];
      case 'event-count':
        return [{ kind: 'event', id: node.event, pointer: `${at}/event` }];
      case 'on-drug':
      case 'allergy':
        return 'ingredient' in node.drug
          ? [{ kind: 'ingredient', id: node.drug.ingredient, pointer: `${at}/drug/ingredient` }]
          : [{ kind: 'class', id: node.drug.class, pointer: `${at}/drug/class` }];
      default:
        return [];
    }
  });
}
