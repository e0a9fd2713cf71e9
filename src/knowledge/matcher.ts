import type { KnowledgeBase } from './types.js';

/** A coded value as the matcher sees it: a short system name (`rxnorm`, `dmd`, `snomed`, `atc`) and a code. */
export interface DrugCode {
  /** The terminology, by carepath's short name. */
  readonly system: string;
  /** The code. */
  readonly code: string;
}

/**
 * The codes to look a medicine up by: NHS systems send dm+d ids under the SNOMED CT system
 * (dm+d is SNOMED CT's UK drug extension), so each SNOMED CT code is also tried as a dm+d code.
 */
export function drugLookupCodes(codes: readonly DrugCode[]): DrugCode[] {
  return codes.flatMap((c) => (c.system === 'snomed' ? [{ system: 'snomed', code: c.code }, { system: 'dmd', code: c.code }] : [{ system: c.system, code: c.code }]));
}

/** One ingredient recognised in a medication, with its strength when the text states one in mg. */
export interface MatchedIngredient {
  /** The ingredient id. */
  readonly id: string;
  /** Milligrams per unit (tablet, dose, mL) when stated in mg, g or micrograms. */
  readonly strengthMg?: number;
}

/** How a medication was recognised. */
export interface MedicationMatch {
  /** The ingredients found, in the order the text names them. */
  readonly ingredients: readonly MatchedIngredient[];
  /** `code` when a code identified it, `name` when its text did. */
  readonly via: 'code' | 'name';
  /** Words read as a misspelt ingredient name (such as `simvistatin`), for a data-quality note. */
  readonly corrected: readonly { readonly written: string; readonly read: string }[];
}

/** Recognises what a medication is from its codes and its text. */
export interface MedicationMatcher {
  /** The ingredients of a medication, or undefined when neither its codes nor its text are recognised. */
  match(codes: readonly DrugCode[], text: string | undefined): MedicationMatch | undefined;
}

interface NameEntry {
  readonly tokens: readonly string[];
  readonly ingredients: readonly string[];
}

/** Lower-cases text and splits it into word tokens; hyphens and apostrophes inside words are dropped (`co-codamol` → `cocodamol`). */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2019']/g, '')
    .replace(/([a-z])-(?=[a-z])/g, '$1')
    .split(/[^a-z0-9.]+/)
    .map((t) => t.replace(/^\.+|\.+$/g, ''))
    .filter((t) => t.length > 0);
}

/** A SNOMED CT semantic tag ending a display, such as "(disorder)". */
const semanticTag = /\s*\((?:disorder|finding|situation|morphologic abnormality)\)\s*$/i;

/**
 * The key a condition or drug class is looked up by its words: the text's tokens (see
 * `tokenize`), without a trailing SNOMED CT semantic tag, so "Peptic ulcer (disorder)" and
 * "peptic ulcer" meet. Only the whole text is a key, so "no peptic ulcer" or "family history of
 * peptic ulcer" never meets "peptic ulcer".
 */
export function wholeTextKey(text: string): string {
  return tokenize(text.replace(semanticTag, '')).join(' ');
}

/**
 * Words that only say a recorded substance is an allergy, before it ("Allergy to penicillin",
 * "intolerance to statins") or after it ("Penicillin allergy", "Statin intolerance").
 */
const allergyPrefix = /^\s*(?:allergy|allergic|intolerance|intolerant|hypersensitivity)\s+to\s+/i;
const allergySuffix = /\s+(?:allergy|intolerance|hypersensitivity)\s*$/i;

/** The names a drug class goes by as a whole text: its id, its name in words and its synonyms, the name's one-word abbreviation, each with and without a final "s". */
function classKeys(id: string, name: string, synonyms: readonly string[]): string[] {
  const abbreviation = /\(([A-Za-z0-9-]+)\)/.exec(name)?.[1];
  const names = [id.replace(/-/g, ' '), name.replace(/\s*\([^)]*\)/g, ''), ...synonyms, ...(abbreviation === undefined ? [] : [abbreviation])];
  return names.flatMap((n) => {
    const key = wholeTextKey(n);
    return key.endsWith('s') ? [key, key.slice(0, -1)] : [key, `${key}s`];
  });
}

/**
 * The drug classes an allergy names as a whole ("Penicillin", "NSAIDs", "Allergy to ACE
 * inhibitors", "Statin intolerance"), by the whole text: each class's members, all of which the
 * allergy rules out. Built once per knowledge base; undefined when the text names no class.
 */
export function classAllergyIndex(knowledge: KnowledgeBase): (text: string) => ReadonlySet<string> | undefined {
  const byKey = new Map<string, Set<string>>();
  for (const [id, compiled] of knowledge.classes) {
    if (compiled.members.size === 0) continue;
    for (const key of classKeys(id, compiled.definition.name, compiled.definition.synonyms ?? [])) {
      const members = byKey.get(key) ?? new Set<string>();
      for (const member of compiled.members) members.add(member);
      byKey.set(key, members);
    }
  }
  return (text) => byKey.get(wholeTextKey(text.replace(allergyPrefix, '').replace(allergySuffix, '')));
}

const strengthPattern = /(\d+(?:\.\d+)?)\s*(mg|milligrams?|g|grams?|micrograms?|mcg|µg|ug)\b(?!\s*\/\s*(?:ml|dose|actuat|hr|h\b|24))/i;

/**
 * An amount of a unit of mass in milligrams, or undefined for a unit that is not one. The unit
 * is a UCUM code or as written: a product's strength ("500mg", "100micrograms") or a prescribed
 * dose (NHS dm+d records write "milligram" with UCUM code "mg").
 */
export function milligramsFrom(amount: number, unit: string): number | undefined {
  switch (unit.trim().toLowerCase()) {
    case 'mg':
    case 'milligram':
    case 'milligrams':
      return amount;
    case 'g':
    case 'gram':
    case 'grams':
      return amount * 1000;
    case 'ug':
    case 'mcg':
    case '\u00b5g': // the micro sign
    case '\u03bcg': // the Greek letter mu, which looks alike
    case 'microgram':
    case 'micrograms':
      return amount / 1000;
    default:
      return undefined;
  }
}

/**
 * Builds the matcher for a knowledge base: an index of every ingredient name, synonym and
 * brand and every product name, keyed by first word, so that recognising a text costs one
 * pass over its words. Codes are looked up first (RxNorm, dm+d, SNOMED CT, ATC); text is the
 * fallback, with a one-letter spelling tolerance for long words that match nothing else.
 */
export function buildMatcher(knowledge: KnowledgeBase): MedicationMatcher {
  const byFirstToken = new Map<string, NameEntry[]>();
  const singleWordNames = new Map<string, string[]>();
  const add = (name: string, ingredients: readonly string[]): void => {
    const tokens = tokenize(name);
    const first = tokens[0];
    if (first === undefined) return;
    const list = byFirstToken.get(first) ?? [];
    list.push({ tokens, ingredients });
    byFirstToken.set(first, list);
    if (tokens.length === 1 && first.length >= 7) singleWordNames.set(first, [...ingredients]);
  };
  for (const ingredient of knowledge.ingredients.values()) {
    for (const name of [ingredient.name, ingredient.id.replace(/-/g, ' '), ...(ingredient.synonyms ?? []), ...(ingredient.brands ?? [])]) {
      add(name, [ingredient.id]);
    }
  }
  for (const product of knowledge.products.values()) {
    for (const name of [product.name, ...(product.synonyms ?? [])]) add(name, product.ingredients);
  }
  for (const list of byFirstToken.values()) list.sort((x, y) => y.tokens.length - x.tokens.length);

  const nearIndex = nearIndexOf(singleWordNames);

  /** The ingredients every known code names, each once in the order met (a Medication described by its ingredients has a code for each). */
  const matchCodes = (codes: readonly DrugCode[]): string[] | undefined => {
    let found: string[] | undefined;
    for (const { system, code } of codes) {
      const ids = knowledge.codes.drugByCode.get(`${system}|${code}`);
      if (ids === undefined) continue;
      found ??= [];
      for (const id of ids) if (!found.includes(id)) found.push(id);
    }
    return found;
  };

  const matchText = (text: string): { ids: string[]; corrected: { written: string; read: string }[] } => {
    const tokens = tokenize(text);
    const ids: string[] = [];
    const corrected: { written: string; read: string }[] = [];
    for (let i = 0; i < tokens.length; ) {
      const token = tokens[i] ?? '';
      const entry = byFirstToken.get(token)?.find((e) => e.tokens.every((t, k) => tokens[i + k] === t));
      if (entry !== undefined) {
        for (const id of entry.ingredients) if (!ids.includes(id)) ids.push(id);
        i += entry.tokens.length;
        continue;
      }
      const near = token.length >= 7 ? nearName(token, nearIndex) : undefined;
      if (near !== undefined) {
        corrected.push({ written: token, read: near.name });
        for (const id of near.ingredients) if (!ids.includes(id)) ids.push(id);
      }
      i += 1;
    }
    return { ids, corrected };
  };

  return {
    match(codes, text) {
      const coded = matchCodes(codes);
      if (coded !== undefined) {
        return { ingredients: withStrengths(coded, text, knowledge), via: 'code', corrected: [] };
      }
      if (text === undefined) return undefined;
      const { ids, corrected } = matchText(text);
      if (ids.length === 0) return undefined;
      return { ingredients: withStrengths(ids, text, knowledge), via: 'name', corrected };
    },
  };
}

/** A single-word name that spelling tolerance may read a word as. */
interface NearEntry {
  readonly name: string;
  readonly ingredients: readonly string[];
}

/** The key of a name's bucket: its first letter and length (a word one edit away has the same first letter and a length within one). */
function nearKey(first: string | undefined, length: number): string {
  return `${first ?? ''}${length}`;
}

/** Single-word names in buckets by first letter and length, so that a word is compared with a few names, not all. */
function nearIndexOf(names: ReadonlyMap<string, readonly string[]>): ReadonlyMap<string, readonly NearEntry[]> {
  const index = new Map<string, NearEntry[]>();
  for (const [name, ingredients] of names) {
    const key = nearKey(name[0], name.length);
    index.set(key, [...(index.get(key) ?? []), { name, ingredients }]);
  }
  return index;
}

/** The one name within one edit of the word, or undefined when none or several are. */
function nearName(token: string, index: ReadonlyMap<string, readonly NearEntry[]>): NearEntry | undefined {
  let found: NearEntry | undefined;
  for (let length = token.length - 1; length <= token.length + 1; length++) {
    for (const entry of index.get(nearKey(token[0], length)) ?? []) {
      if (!withinOneEdit(token, entry.name)) continue;
      if (found !== undefined) return undefined;
      found = entry;
    }
  }
  return found;
}

function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length === b.length) {
    let differences = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++differences > 1) return false;
    return true;
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}

/**
 * Attaches strengths to recognised ingredients. The text is split into components at ` / `
 * (RxNorm writes `A 325 MG / B 5 MG`); a component that names exactly one ingredient gives
 * that ingredient its strength. A single-ingredient text takes the first strength it states.
 */
function withStrengths(ids: readonly string[], text: string | undefined, knowledge: KnowledgeBase): MatchedIngredient[] {
  if (text === undefined) return ids.map((id) => ({ id }));
  const strengths = new Map<string, number>();
  if (ids.length === 1) {
    const mg = firstStrength(text);
    if (mg !== undefined && ids[0] !== undefined) strengths.set(ids[0], mg);
  } else {
    for (const component of text.split(/\s\/\s/)) {
      const words = new Set(tokenize(component));
      const named = ids.filter((id) => namesOf(id, knowledge).some((name) => tokenize(name).every((t) => words.has(t))));
      const mg = firstStrength(component);
      if (named.length === 1 && named[0] !== undefined && mg !== undefined) strengths.set(named[0], mg);
    }
  }
  return ids.map((id) => {
    const mg = strengths.get(id);
    return mg === undefined ? { id } : { id, strengthMg: mg };
  });
}

function namesOf(id: string, knowledge: KnowledgeBase): string[] {
  const ingredient = knowledge.ingredients.get(id);
  return ingredient === undefined ? [id] : [ingredient.name, ...(ingredient.synonyms ?? []), ...(ingredient.brands ?? [])];
}

function firstStrength(text: string): number | undefined {
  const match = strengthPattern.exec(text);
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return milligramsFrom(Number(match[1]), match[2]);
}
