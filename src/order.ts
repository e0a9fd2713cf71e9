/**
 * The short lists of one check (a conflict's candidate options, an item's provenance, a plan's
 * ids): building and sorting them without garbage.
 *
 * Building: an empty list literal grows room for seventeen items on its first push, and most
 * of a check's lists hold one or two; `appendTo` makes a list when its first item comes, to size.
 *
 * Sorting: `Array.prototype.sort` allocates one to three kilobytes of working state on every
 * call with two or more elements, and a heavy check sorts a few hundred lists: about 45 KB of its
 * garbage, so more young-generation collections land on checks. Insertion sort of a short list
 * allocates nothing, is stable like the built-in sort, and is as fast for the lengths a check
 * meets; longer lists go to the built-in sort. Strings in code-unit order go to it sooner: with
 * no comparator it compares them without calling back into JavaScript.
 */

/** Above this length a list goes to the built-in sort. */
const SHORT = 24;

/** Above this length a list of strings goes to the built-in sort (measured: as fast at 12 strings, twice as fast at 24). */
const SHORT_TEXT = 12;

/** Orders strings by UTF-16 code units, as `Array.prototype.sort` does with no comparator. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts a list in place, stably, and returns it (as `Array.prototype.sort` does), allocating
 * nothing for a short list. With no comparator, strings are ordered by code units.
 */
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number): T[];
export function sortInPlace(list: string[]): string[];
export function sortInPlace<T>(list: T[], compare: (a: T, b: T) => number = compareText as unknown as (a: T, b: T) => number): T[] {
  const n = list.length;
  if (compare === (compareText as unknown)) {
    if (n > SHORT_TEXT) return list.sort();
  } else if (n > SHORT) return list.sort(compare);
  for (let i = 1; i < n; i++) {
    const next = list[i] as T;
    let j = i - 1;
    while (j >= 0 && compare(list[j] as T, next) > 0) {
      list[j + 1] = list[j] as T;
      j--;
    }
    list[j + 1] = next;
  }
  return list;
}

/** Orders records by their `id`. */
export function byId(a: { readonly id: string }, b: { readonly id: string }): number {
  return compareText(a.id, b.id);
}

/** Appends an item to a list, making the list when its first item comes (a literal of one, sized to it). */
export function appendTo<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}
