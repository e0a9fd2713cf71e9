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
