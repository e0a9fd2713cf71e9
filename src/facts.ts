/**
 * Facts derived from one object (a plan, a patient view, a knowledge base) and kept on that
 * object: a check asks the same questions of one plan many times (its items in order, its drug
 * exposures, its related pairs), and every check asks the knowledge base for what is worked out
 * once (each target's interactions, each ingredient's plan target). The store is made with the object (`withFacts`) as a non-enumerable symbol property,
 * so it is never serialised and immer does not copy it into a patched copy. Facts kept on the
 * object go when the check's objects go; module-level weak maps keyed by every check's
 * short-lived objects made each young-generation collection pay for their entries (several
 * milliseconds a collection). An object made elsewhere (by a caller, or by immer) gets its
 * store from a weak map instead.
 */
const STORE = Symbol('carepath.facts');

type Store = Map<object, unknown>;

const elsewhere = new WeakMap<object, Store>();

/** Gives an object its own fact store; call it when making the object, before freezing it. */
export function withFacts<T extends object>(object: T): T {
  Object.defineProperty(object, STORE, { value: new Map() });
  return object;
}

function storeOf(object: object): Store {
  const own = (object as { [STORE]?: Store })[STORE];
  if (own !== undefined) return own;
  let store = elsewhere.get(object);
  if (store === undefined) elsewhere.set(object, (store = new Map<object, unknown>()));
  return store;
}

/**
 * A fact about an object, computed by `compute` the first time it is asked and remembered on
 * the object. `extra` must be the same whenever the fact is asked of one object (the knowledge
 * base a plan was merged with, say).
 */
export function fact<K extends object, T, E = void>(compute: (object: K, extra: E) => T): (object: K, extra: E) => T {
  const id = {};
  return (object, extra) => {
    const store = storeOf(object);
    if (store.has(id)) return store.get(id) as T;
    const value = compute(object, extra);
    store.set(id, value);
    return value;
  };
}
