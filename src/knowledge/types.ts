import type {
  ConditionConcept,
  ConditionInteraction,
  DrugClass,
  DrugInteraction,
  EventConcept,
  Ingredient,
  Knowledge,
  ObservationConcept,
  Product,
} from '../schema/generated/knowledge.js';
import type { DrugRef } from '../schema/generated/common.js';

/** A knowledge file with the name it was read from, for messages. */
export interface KnowledgeSource {
  /** The validated knowledge document. */
  readonly document: Knowledge;
  /** The file it came from, when read from disk. */
  readonly file?: string;
}

/** A class with its resolved membership. */
export interface CompiledClass {
  /** The class as written. */
  readonly definition: DrugClass;
  /** Every ingredient id in the class, after ATC prefixes and included classes are applied. */
  readonly members: ReadonlySet<string>;
}

/** A compiled observation concept, with how each accepted unit converts to the canonical one. */
export interface CompiledObservation {
  /** The concept as written. */
  readonly definition: ObservationConcept;
  /** Unit, by its lookup key (see `unitKey`) → its conversion to the canonical unit (the canonical unit: factor 1, offset 0). */
  readonly unitConversions: ReadonlyMap<string, UnitConversion>;
}

/** A unit's conversion to a concept's canonical unit: multiply by `factor`, then add `offset`. */
export interface UnitConversion {
  readonly factor: number;
  readonly offset: number;
}

/** Where an item of the knowledge base was defined, for lint messages. */
export interface Origin {
  /** The file. */
  readonly file?: string;
  /** The JSON pointer within it. */
  readonly pointer: string;
}

/** Indexes from codes to concepts, built once. */
export interface CodeIndex {
  /** SNOMED CT id → condition concept ids. */
  readonly conditionBySnomed: ReadonlyMap<string, readonly string[]>;
  /** ICD-10 code or prefix (without dot) → condition concept ids. */
  readonly conditionByIcd10: ReadonlyMap<string, readonly string[]>;
  /** A condition's name or synonym, as `wholeTextKey` gives it → condition concept ids. */
  readonly conditionByText: ReadonlyMap<string, readonly string[]>;
  /** LOINC code → observation concept id. */
  readonly observationByLoinc: ReadonlyMap<string, string>;
  /** SNOMED CT id → observation concept id. */
  readonly observationBySnomed: ReadonlyMap<string, string>;
  /** SNOMED CT id → event concept id. */
  readonly eventBySnomed: ReadonlyMap<string, string>;
  /** Drug code (`system|code`) → ingredient ids (one for an ingredient, several for a product). */
  readonly drugByCode: ReadonlyMap<string, readonly string[]>;
}

/** An interaction rule with the ingredients each side covers. */
export interface CompiledDrugInteraction {
  /** The rule as written. */
  readonly rule: DrugInteraction;
  /** Ingredients of side a. */
  readonly a: ReadonlySet<string>;
  /** Ingredients of side b. */
  readonly b: ReadonlySet<string>;
}

/** A drug–condition rule with the ingredients it covers. */
export interface CompiledConditionInteraction {
  /** The rule as written. */
  readonly rule: ConditionInteraction;
  /** Ingredients the rule covers. */
  readonly drugs: ReadonlySet<string>;
}

/**
 * The compiled knowledge base: every concept by id, class membership resolved, and indexes
 * from codes and names to concepts and from ingredients to interaction rules. Built once by
 * `compileKnowledge`, then shared read-only.
 */
export interface KnowledgeBase {
  /** The files it was built from, with their versions. */
  readonly versions: readonly { readonly id: string; readonly version: string }[];
  /** Ingredients by id. */
  readonly ingredients: ReadonlyMap<string, Ingredient>;
  /** Products by id. */
  readonly products: ReadonlyMap<string, Product>;
  /** Classes by id, with membership resolved. */
  readonly classes: ReadonlyMap<string, CompiledClass>;
  /** Ingredient id → the ids of every class it belongs to. */
  readonly classesOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Condition concepts by id. */
  readonly conditions: ReadonlyMap<string, ConditionConcept>;
  /** Observation concepts by id. */
  readonly observations: ReadonlyMap<string, CompiledObservation>;
  /** Event concepts by id. */
  readonly events: ReadonlyMap<string, EventConcept>;
  /** Code indexes. */
  readonly codes: CodeIndex;
  /** Drug–drug rules, all of them. */
  readonly drugInteractions: readonly CompiledDrugInteraction[];
  /** Drug–drug rules by id. */
  readonly drugInteractionById: ReadonlyMap<string, CompiledDrugInteraction>;
  /** Ingredient → partner ingredient → the rules between them (both directions stored). */
  readonly interactionIndex: ReadonlyMap<string, ReadonlyMap<string, readonly CompiledDrugInteraction[]>>;
  /** Drug–condition rules, all of them. */
  readonly conditionInteractions: readonly CompiledConditionInteraction[];
  /** Drug–condition rules by id. */
  readonly conditionInteractionById: ReadonlyMap<string, CompiledConditionInteraction>;
  /** Ingredient → the drug–condition rules that cover it. */
  readonly conditionRulesByIngredient: ReadonlyMap<string, readonly CompiledConditionInteraction[]>;
  /** Where each id was defined (`kind:id` → origin), for lint messages. */
  readonly origins: ReadonlyMap<string, Origin>;
}

/** The ingredients a drug reference covers: the ingredient itself, or every member of the class. */
export function ingredientsOf(knowledge: KnowledgeBase, ref: DrugRef): ReadonlySet<string> {
  if ('ingredient' in ref) return new Set([ref.ingredient]);
  return knowledge.classes.get(ref.class)?.members ?? new Set();
}

/** The name of a drug reference in words: the ingredient's INN or the class name. */
export function drugRefName(knowledge: KnowledgeBase, ref: DrugRef): string {
  if ('ingredient' in ref) return knowledge.ingredients.get(ref.ingredient)?.name ?? ref.ingredient;
  return knowledge.classes.get(ref.class)?.definition.name ?? ref.class;
}
