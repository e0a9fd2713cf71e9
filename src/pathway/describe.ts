import type { Predicate } from '../schema/generated/common.js';
import type { Target } from '../schema/generated/pathway.js';
import { drugRefName } from '../knowledge/types.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { durationText } from './view.js';

const comparatorText: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '=': '=' };

/** A unit as shown after a number: `%` directly, UCUM annotations such as `{grade}` not at all, others after a space. */
function unitText(unit: string): string {
  if (unit === '%') return '%';
  if (/^\{.*\}$/.test(unit) || unit === '1') return '';
  return ` ${unit}`;
}

/** Describes a predicate in words, for graphs, reports and lint messages. */
export function describePredicate(predicate: Predicate, knowledge: KnowledgeBase): string {
  switch (predicate.kind) {
    case 'all':
      return predicate.of.length === 1 && predicate.of[0] !== undefined
        ? describePredicate(predicate.of[0], knowledge)
        : `(${predicate.of.map((p) => describePredicate(p, knowledge)).join(' and ')})`;
    case 'any':
      return predicate.of.length === 1 && predicate.of[0] !== undefined
        ? describePredicate(predicate.of[0], knowledge)
        : `(${predicate.of.map((p) => describePredicate(p, knowledge)).join(' or ')})`;
    case 'not':
      return `not ${describePredicate(predicate.predicate, knowledge)}`;
    case 'condition':
      return `has ${knowledge.conditions.get(predicate.concept)?.name ?? predicate.concept}`;
    case 'on-drug':
      return `takes ${drugRefName(knowledge, predicate.drug)}`;
    case 'allergy':
      return `recorded allergy or intolerance to ${drugRefName(knowledge, predicate.drug)}`;
    case 'observation': {
      const name = knowledge.observations.get(predicate.concept)?.definition.name ?? predicate.concept;
      return `${name} ${comparatorText[predicate.comparator] ?? predicate.comparator} ${predicate.value}${unitText(predicate.unit)} (latest, last ${durationText(predicate.within)})`;
    }
    case 'observation-recorded': {
      const name = knowledge.observations.get(predicate.concept)?.definition.name ?? predicate.concept;
      return predicate.within === undefined ? `${name} ever recorded` : `${name} recorded in the last ${durationText(predicate.within)}`;
    }
    case 'age':
      return `age ${comparatorText[predicate.comparator] ?? predicate.comparator} ${predicate.value}`;
    case 'sex':
      return `sex is ${predicate.is}`;
    case 'event-count': {
      const name = knowledge.events.get(predicate.event)?.name ?? predicate.event;
      return `${comparatorText[predicate.comparator] ?? predicate.comparator} ${predicate.value} × ${name} in the last ${durationText(predicate.within)}`;
    }
  }
}

/** Describes a recommendation target in words. */
export function describeTarget(target: Target, knowledge: KnowledgeBase): string {
  switch (target.type) {
    case 'ingredient':
      return drugRefName(knowledge, { ingredient: target.ingredient });
    case 'class':
      return drugRefName(knowledge, { class: target.class });
    case 'combination':
      return target.components.map((c) => drugRefName(knowledge, c)).join(' + ');
    case 'test':
      return target.name;
    case 'activity':
      return target.name;
    case 'referral':
      return `referral: ${target.service}`;
  }
}
