/**
 * Facts derived from one object (a plan, a patient view, a knowledge base) and kept on that
 * object: a check asks the same questions of one plan many times (its items in order, its drug
 * exposures, its related pairs), and every check asks the knowledge base for what is worked out
 * once (each target's interactions, each ingredient's plan target). The store is made with the
 * object (`withFacts`) as a non-enumerable symbol property, so it is never serialised and immer
 * does not copy it into a patched copy; a class of carepath's own that no one copies (a changed
 * plan) holds it in a field instead (`HoldsFacts`). Facts kept on the object go when the
 * check's objects go; module-level weak maps keyed by every check's short-lived objects made
 * each young-generation collection pay for their entries (several milliseconds a collection).
 * An object made elsewhere (by a caller, or by immer) gets its store from a weak map instead.
 *
 * A store is a list with a slot per fact (each fact is numbered when it is defined), made to
 * size: a re-check makes a plan for every change it verifies, and a map per plan, grown entry
 * by entry and read twice per question, made garbage and took time.
 */
const STORE = Symbol('carepath.facts');

/** A slot no fact has filled yet (a fact's value may itself be undefined). */
const UNSET = Symbol('carepath.unset');

type Store = unknown[];

/** How many facts are defined: a new store has a slot for each. */
let factCount = 0;

const elsewhere = new WeakMap<object, Store>();

function newStore(): Store {
  return new Array<unknown>(factCount).fill(UNSET);
}

/** Gives an object its own fact store; call it when making the object, before freezing it. */
export function withFacts<T extends object>(object: T): T {
  Object.defineProperty(object, STORE, { value: newStore() });
  return object;
}

/**
 * A base for a class whose instances keep facts (a changed plan): the store is a field made with
 * each instance. Defining it on an object already made, as `withFacts` does, took three times as
 * long, and a re-check makes a changed plan for every change it verifies. A symbol key, so JSON
 * and `Object.keys` never see it.
 */
export abstract class HoldsFacts {
  /** The instance's fact store. */
  readonly [STORE]: Store = newStore();
}

function storeOf(object: object): Store {
  const own = (object as { [STORE]?: Store })[STORE];
  if (own !== undefined) return own;
  let store = elsewhere.get(object);
  if (store === undefined) elsewhere.set(object, (store = newStore()));
  return store;
}

/** A fact about objects: ask it of an object, or tell it what it is for one (see `fact`). */
export interface Fact<K extends object, T, E> {
  (object: K, extra: E): T;
  /** Gives the fact's value for an object that its maker already knows (a merged plan's items in order), so it is not worked out again. */
  readonly remember: (object: K, value: T) => void;
}

/** An object's store with room for a fact's slot (a store made before the fact was defined has none yet). */
function storeWithSlot(object: object, slot: number): Store {
  const store = storeOf(object);
  while (store.length <= slot) store.push(UNSET);
  return store;
}

/**
 * A fact about an object, computed by `compute` the first time it is asked and remembered on
 * the object. `extra` must be the same whenever the fact is asked of one object (the knowledge
 * base a plan was merged with, say).
 */
export function fact<K extends object, T, E = void>(compute: (object: K, extra: E) => T): Fact<K, T, E> {
  const slot = factCount++;
  const ask = (object: K, extra: E): T => {
    const store = storeWithSlot(object, slot);
    const known = store[slot];
    if (known !== UNSET) return known as T;
    const value = compute(object, extra);
    store[slot] = value;
    return value;
  };
  return Object.assign(ask, {
    remember: (object: K, value: T): void => {
      storeWithSlot(object, slot)[slot] = value;
    },
  });
}
