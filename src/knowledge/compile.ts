import type { DrugRef } from '../schema/generated/common.js';
import { withFacts } from '../facts.js';
import type {
  ConditionConcept,
  DrugClass,
  EventConcept,
  Ingredient,
  Knowledge,
  Management,
  ObservationConcept,
  Product,
} from '../schema/generated/knowledge.js';
import { makeIssue, type LoadIssue, type LoadResult } from '../schema/issues.js';
import { predicateNodes, predicateReferences } from '../schema/predicate-nodes.js';
import { isAtcCode, isLoincCode, isSnomedConceptId } from './codes.js';
import { wholeTextKey } from './matcher.js';
import { unitKey } from './units.js';
import type {
  CodeIndex,
  CompiledClass,
  CompiledConditionInteraction,
  CompiledDrugInteraction,
  CompiledObservation,
  KnowledgeBase,
  KnowledgeSource,
  Origin,
  UnitConversion,
} from './types.js';

type Section = 'ingredients' | 'products' | 'classes' | 'conditions' | 'observations' | 'events' | 'drugInteractions' | 'conditionInteractions';

/** The item type of one section of a knowledge file. */
type Item<S extends Section> = NonNullable<Knowledge[S]>[number];

/** One item of a knowledge file with the place it came from. */
interface Located<T> {
  readonly item: T;
  readonly origin: Origin;
}

/**
 * Compiles validated knowledge files into one knowledge base: ids checked for uniqueness,
 * references resolved, class membership closed over ATC prefixes and included classes, codes
 * checked for format, and indexes built from codes to concepts and from ingredients to rules.
 * Every problem is collected and returned at once.
 */
export function compileKnowledge(sources: readonly KnowledgeSource[]): LoadResult<KnowledgeBase> {
  const issues: LoadIssue[] = [];
  const origins = new Map<string, Origin>();
  const collect = <S extends Section>(section: S): Map<string, Located<Item<S>>> => {
    const byId = new Map<string, Located<Item<S>>>();
    for (const source of sources) {
      const items: readonly Item<S>[] = source.document[section] ?? [];
      items.forEach((item, index) => {
        const origin: Origin = { ...(source.file === undefined ? {} : { file: source.file }), pointer: `/${section}/${index}` };
        const previous = byId.get(item.id);
        if (previous !== undefined) {
          issues.push(issueAt(origin, 'CP_DUPLICATE_ID', `a ${section} id not used before`, `"${item.id}" again`, `first defined at ${where(previous.origin)}`));
          return;
        }
        byId.set(item.id, { item, origin });
        origins.set(`${section}:${item.id}`, origin);
      });
    }
    return byId;
  };

  const ingredients = collect('ingredients');
  const products = collect('products');
  const classes = collect('classes');
  const conditions = collect('conditions');
  const observations = collect('observations');
  const events = collect('events');
  const drugRules = collect('drugInteractions');
  const conditionRules = collect('conditionInteractions');

  const checkIngredient = (id: string, origin: Origin, pointer: string): void => {
    if (!ingredients.has(id)) issues.push(unknownReference(origin, pointer, 'ingredient', id, [...ingredients.keys()]));
  };
  const checkDrugRef = (ref: DrugRef, origin: Origin, pointer: string): void => {
    if ('ingredient' in ref) checkIngredient(ref.ingredient, origin, `${pointer}/ingredient`);
    else if (!classes.has(ref.class)) issues.push(unknownReference(origin, `${pointer}/class`, 'class', ref.class, [...classes.keys()]));
  };
  const checkStartOnly = (m: Management, origin: Origin, index: number): void => {
    if (m.startOnly !== undefined && m.strategy !== 'avoid') {
      issues.push(issueAt(origin, 'CP_MISPLACED_FIELD', '`startOnly` only on `avoid` advice', `"startOnly" on "${m.strategy}" advice`, undefined, `/management/${index}/startOnly`));
    }
  };

  for (const { item, origin } of ingredients.values()) checkIngredientCodes(item, origin, issues);
  for (const { item, origin } of products.values()) {
    item.ingredients.forEach((id, i) => checkIngredient(id, origin, `/ingredients/${i}`));
  }
  for (const { item, origin } of classes.values()) {
    item.members?.forEach((id, i) => checkIngredient(id, origin, `/members/${i}`));
    item.includes?.forEach((id, i) => {
      if (!classes.has(id)) issues.push(unknownReference(origin, `/includes/${i}`, 'class', id, [...classes.keys()]));
    });
    item.preferences?.forEach((preference, i) => {
      if (!conditions.has(preference.condition)) issues.push(unknownReference(origin, `/preferences/${i}/condition`, 'condition', preference.condition, [...conditions.keys()]));
    });
  }
  for (const { item, origin } of conditions.values()) {
    item.snomed?.forEach((code, i) => checkSnomed(code, origin, `/snomed/${i}`, issues));
    item.excludedBy?.forEach((id, i) => {
      if (!conditions.has(id)) issues.push(unknownReference(origin, `/excludedBy/${i}`, 'condition', id, [...conditions.keys()]));
    });
  }
  for (const { item, origin } of observations.values()) {
    item.loinc?.forEach((code, i) => {
      if (!isLoincCode(code)) issues.push(issueAt(origin, 'CP_BAD_CODE', 'a LOINC code with a valid check digit', `"${code}"`, undefined, `/loinc/${i}`));
    });
    item.snomed?.forEach((code, i) => checkSnomed(code, origin, `/snomed/${i}`, issues));
  }
  for (const { item, origin } of events.values()) {
    item.snomed?.forEach((code, i) => checkSnomed(code, origin, `/snomed/${i}`, issues));
  }
  for (const { item, origin } of drugRules.values()) {
    checkDrugRef(item.a, origin, '/a');
    checkDrugRef(item.b, origin, '/b');
    if (item.doseLimit !== undefined) checkIngredient(item.doseLimit.ingredient, origin, '/doseLimit/ingredient');
    item.management.forEach((m, i) => {
      if (m.mitigation !== undefined) checkDrugRef(m.mitigation, origin, `/management/${i}/mitigation`);
      if (m.test !== undefined && !observations.has(m.test)) issues.push(unknownReference(origin, `/management/${i}/test`, 'observation', m.test, [...observations.keys()]));
      if (m.side !== undefined && m.strategy !== 'avoid' && m.strategy !== 'substitute-within-class') {
        issues.push(issueAt(origin, 'CP_MISPLACED_FIELD', '`side` only on `avoid` or `substitute-within-class` advice', `"side" on "${m.strategy}" advice`, undefined, `/management/${i}/side`));
      }
      checkStartOnly(m, origin, i);
    });
  }
  for (const { item, origin } of conditionRules.values()) {
    checkDrugRef(item.drug, origin, '/drug');
    if (item.doseLimit !== undefined && !('ingredient' in item.drug && item.drug.ingredient === item.doseLimit.ingredient)) {
      issues.push(issueAt(origin, 'CP_MISPLACED_FIELD', "a dose limit on the rule's own ingredient", `a limit on "${item.doseLimit.ingredient}" for ${JSON.stringify(item.drug)}`, undefined, '/doseLimit/ingredient'));
    }
    if (!conditions.has(item.condition)) issues.push(unknownReference(origin, '/condition', 'condition', item.condition, [...conditions.keys()]));
    item.management.forEach((m, i) => {
      if (m.mitigation !== undefined) checkDrugRef(m.mitigation, origin, `/management/${i}/mitigation`);
      if (m.side !== undefined) issues.push(issueAt(origin, 'CP_MISPLACED_FIELD', 'no `side` in a drug–condition rule, which has one drug', `"side": "${m.side}"`, undefined, `/management/${i}/side`));
      checkStartOnly(m, origin, i);
    });
  }

  const known = { condition: conditions, observation: observations, event: events, class: classes };
  for (const { item, origin } of conditions.values()) {
    if (item.establishedBy === undefined) continue;
    for (const reference of predicateReferences(item.establishedBy, '/establishedBy')) {
      if (reference.kind === 'ingredient') checkIngredient(reference.id, origin, reference.pointer);
      else if (!known[reference.kind].has(reference.id)) issues.push(unknownReference(origin, reference.pointer, reference.kind, reference.id, [...known[reference.kind].keys()]));
    }
  }
  issues.push(...conceptCycles(conditions));
  const compiledClasses = closeClasses(classes, ingredients, issues);
  issues.push(...preferenceIssues(classes, compiledClasses));
  if (issues.length > 0) return { ok: false, issues };

  const classesOf = new Map<string, Set<string>>();
  for (const [classId, compiled] of compiledClasses) {
    for (const member of compiled.members) {
      let set = classesOf.get(member);
      if (set === undefined) classesOf.set(member, (set = new Set()));
      set.add(classId);
    }
  }
  const refIngredients = (ref: DrugRef): ReadonlySet<string> =>
    'ingredient' in ref ? new Set([ref.ingredient]) : (compiledClasses.get(ref.class)?.members ?? new Set());

  const compiledDrugRules: CompiledDrugInteraction[] = [...drugRules.values()].map(({ item }) => ({
    rule: item,
    a: refIngredients(item.a),
    b: refIngredients(item.b),
  }));
  const compiledConditionRules: CompiledConditionInteraction[] = [...conditionRules.values()].map(({ item }) => ({
    rule: item,
    drugs: refIngredients(item.drug),
  }));

  // Its own fact store, for what stages work out once per knowledge base (see `fact`).
  const knowledge: KnowledgeBase = withFacts({
    versions: sources.map((s) => ({ id: s.document.id, version: s.document.version })),
    ingredients: mapItems(ingredients),
    products: mapItems(products),
    classes: compiledClasses,
    classesOf,
    conditions: mapItems(conditions),
    observations: compileObservations(observations),
    events: mapItems(events),
    codes: buildCodeIndex(ingredients, products, conditions, observations, events),
    drugInteractions: compiledDrugRules,
    drugInteractionById: new Map(compiledDrugRules.map((r) => [r.rule.id, r])),
    interactionIndex: indexDrugRules(compiledDrugRules),
    conditionInteractions: compiledConditionRules,
    conditionInteractionById: new Map(compiledConditionRules.map((r) => [r.rule.id, r])),
    conditionRulesByIngredient: indexConditionRules(compiledConditionRules),
    origins,
  });
  return { ok: true, value: knowledge };
}

function mapItems<T>(located: Map<string, Located<T>>): Map<string, T> {
  return new Map([...located].map(([id, { item }]) => [id, item]));
}

function where(origin: Origin): string {
  return `${origin.file ?? '<input>'}:${origin.pointer}`;
}

function issueAt(origin: Origin, code: LoadIssue['code'], expected: string, found: string, detail?: string, subPointer = ''): LoadIssue {
  return makeIssue(code, `${origin.pointer}${subPointer}`, expected, found, origin.file === undefined ? {} : { file: origin.file }, detail);
}

/** A class's preferred order may name only its own members. */
function preferenceIssues(classes: ReadonlyMap<string, Located<DrugClass>>, compiled: ReadonlyMap<string, CompiledClass>): LoadIssue[] {
  const issues: LoadIssue[] = [];
  for (const [id, { item, origin }] of classes) {
    const members = compiled.get(id)?.members ?? new Set<string>();
    item.preferences?.forEach((preference, i) => {
      preference.order.forEach((ingredient, k) => {
        if (!members.has(ingredient)) issues.push(issueAt(origin, 'CP_UNKNOWN_REFERENCE', `a member of the class "${id}"`, `"${ingredient}"`, undefined, `/preferences/${i}/order/${k}`));
      });
    });
  }
  return issues;
}

function unknownReference(origin: Origin, subPointer: string, kind: string, id: string, known: readonly string[]): LoadIssue {
  const near = known.filter((k) => k.startsWith(id.slice(0, 4))).slice(0, 3);
  const hint = near.length > 0 ? `known ids like it: ${near.join(', ')}` : undefined;
  return issueAt(origin, 'CP_UNKNOWN_REFERENCE', `the id of ${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} defined in the knowledge base`, `"${id}"`, hint, subPointer);
}

function checkSnomed(code: string, origin: Origin, subPointer: string, issues: LoadIssue[]): void {
  if (!isSnomedConceptId(code)) {
    issues.push(issueAt(origin, 'CP_BAD_CODE', 'a SNOMED CT concept id with a valid Verhoeff check digit', `"${code}"`, undefined, subPointer));
  }
}

function checkIngredientCodes(item: Ingredient, origin: Origin, issues: LoadIssue[]): void {
  item.codes?.snomed?.forEach((code, i) => checkSnomed(code, origin, `/codes/snomed/${i}`, issues));
  item.codes?.dmd?.forEach((code, i) => checkSnomed(code, origin, `/codes/dmd/${i}`, issues));
  item.codes?.atc?.forEach((code, i) => {
    if (!isAtcCode(code)) issues.push(issueAt(origin, 'CP_BAD_CODE', 'an ATC code such as R03AC02', `"${code}"`, undefined, `/codes/atc/${i}`));
  });
}

/** Conditions established (directly or not) through themselves would never finish compiling: report each cycle. */
function conceptCycles(conditions: Map<string, Located<ConditionConcept>>): LoadIssue[] {
  const uses = (id: string): string[] => {
    const by = conditions.get(id)?.item.establishedBy;
    return by === undefined ? [] : predicateNodes(by, '').flatMap(({ node }) => (node.kind === 'condition' ? [node.concept] : []));
  };
  const issues: LoadIssue[] = [];
  const done = new Set<string>();
  const visit = (id: string, path: string[]): void => {
    if (path.includes(id)) {
      const origin = conditions.get(id)?.origin;
      if (origin !== undefined) issues.push(issueAt(origin, 'CP_CONCEPT_CYCLE', 'a condition not established through itself', `the cycle ${[...path.slice(path.indexOf(id)), id].join(' → ')}`, undefined, '/establishedBy'));
      return;
    }
    if (done.has(id)) return;
    for (const next of uses(id)) visit(next, [...path, id]);
    done.add(id);
  };
  for (const id of conditions.keys()) visit(id, []);
  return issues;
}

/** Resolves each class's members: listed ingredients, ATC-prefix matches, and included classes (cycles reported). */
function closeClasses(
  classes: Map<string, Located<DrugClass>>,
  ingredients: Map<string, Located<Ingredient>>,
  issues: LoadIssue[],
): Map<string, CompiledClass> {
  const resolved = new Map<string, Set<string>>();
  const visiting = new Set<string>();
  const resolve = (id: string): Set<string> => {
    const done = resolved.get(id);
    if (done !== undefined) return done;
    const located = classes.get(id);
    if (located === undefined) return new Set();
    if (visiting.has(id)) {
      issues.push(issueAt(located.origin, 'CP_CLASS_CYCLE', 'classes that do not include themselves', `a cycle through "${id}"`, undefined, '/includes'));
      return new Set();
    }
    visiting.add(id);
    const members = new Set<string>(located.item.members ?? []);
    for (const prefix of located.item.atcPrefixes ?? []) {
      for (const { item } of ingredients.values()) {
        if (item.codes?.atc?.some((code) => code.startsWith(prefix)) === true) members.add(item.id);
      }
    }
    for (const included of located.item.includes ?? []) {
      for (const member of resolve(included)) members.add(member);
    }
    visiting.delete(id);
    resolved.set(id, members);
    return members;
  };
  const compiled = new Map<string, CompiledClass>();
  for (const [id, { item }] of classes) compiled.set(id, { definition: item, members: resolve(id) });
  return compiled;
}

function compileObservations(observations: Map<string, Located<ObservationConcept>>): Map<string, CompiledObservation> {
  const compiled = new Map<string, CompiledObservation>();
  for (const [id, { item }] of observations) {
    const unitConversions = new Map<string, UnitConversion>([[unitKey(item.unit), { factor: 1, offset: 0 }]]);
    for (const { unit, factor, offset } of item.conversions ?? []) unitConversions.set(unitKey(unit), { factor, offset: offset ?? 0 });
    compiled.set(id, { definition: item, unitConversions });
  }
  return compiled;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function buildCodeIndex(
  ingredients: Map<string, Located<Ingredient>>,
  products: Map<string, Located<Product>>,
  conditions: Map<string, Located<ConditionConcept>>,
  observations: Map<string, Located<ObservationConcept>>,
  events: Map<string, Located<EventConcept>>,
): CodeIndex {
  const conditionBySnomed = new Map<string, string[]>();
  const conditionByIcd10 = new Map<string, string[]>();
  const conditionByText = new Map<string, string[]>();
  for (const { item } of conditions.values()) {
    item.snomed?.forEach((code) => push(conditionBySnomed, code, item.id));
    item.icd10?.forEach((code) => push(conditionByIcd10, code.replace('.', ''), item.id));
    for (const name of [item.name, ...(item.synonyms ?? [])]) push(conditionByText, wholeTextKey(name), item.id);
  }
  const observationByLoinc = new Map<string, string>();
  const observationBySnomed = new Map<string, string>();
  for (const { item } of observations.values()) {
    item.loinc?.forEach((code) => observationByLoinc.set(code, item.id));
    item.snomed?.forEach((code) => observationBySnomed.set(code, item.id));
  }
  const eventBySnomed = new Map<string, string>();
  for (const { item } of events.values()) item.snomed?.forEach((code) => eventBySnomed.set(code, item.id));
  const drugByCode = new Map<string, string[]>();
  for (const { item } of ingredients.values()) {
    item.codes?.atc?.forEach((code) => push(drugByCode, `atc|${code}`, item.id));
    item.codes?.rxnorm?.forEach((code) => push(drugByCode, `rxnorm|${code}`, item.id));
    item.codes?.snomed?.forEach((code) => push(drugByCode, `snomed|${code}`, item.id));
    item.codes?.dmd?.forEach((code) => push(drugByCode, `dmd|${code}`, item.id));
  }
  for (const { item } of products.values()) {
    for (const code of item.codes?.rxnorm ?? []) item.ingredients.forEach((id) => push(drugByCode, `rxnorm|${code}`, id));
    for (const code of item.codes?.dmd ?? []) item.ingredients.forEach((id) => push(drugByCode, `dmd|${code}`, id));
  }
  return { conditionBySnomed, conditionByIcd10, conditionByText, observationByLoinc, observationBySnomed, eventBySnomed, drugByCode };
}

function indexDrugRules(rules: readonly CompiledDrugInteraction[]): Map<string, Map<string, CompiledDrugInteraction[]>> {
  const index = new Map<string, Map<string, CompiledDrugInteraction[]>>();
  const add = (x: string, y: string, rule: CompiledDrugInteraction): void => {
    if (x === y) return;
    let partners = index.get(x);
    if (partners === undefined) index.set(x, (partners = new Map<string, CompiledDrugInteraction[]>()));
    push(partners, y, rule);
  };
  for (const rule of rules) {
    for (const x of rule.a) {
      for (const y of rule.b) {
        add(x, y, rule);
        add(y, x, rule);
      }
    }
  }
  return index;
}

function indexConditionRules(rules: readonly CompiledConditionInteraction[]): Map<string, CompiledConditionInteraction[]> {
  const index = new Map<string, CompiledConditionInteraction[]>();
  for (const rule of rules) for (const drug of rule.drugs) push(index, drug, rule);
  return index;
}
