import type { CompiledPathway } from './pathway/graph.js';
import { loadPathways } from './pathway/load.js';
import { loadKnowledge } from './knowledge/load.js';
import type { KnowledgeBase } from './knowledge/types.js';
import { formatIssue } from './schema/issues.js';
import atrialFibrillation from '../pathways/cardiovascular/atrial-fibrillation.json';
import heartFailure from '../pathways/cardiovascular/heart-failure.json';
import hypertension from '../pathways/cardiovascular/hypertension.json';
import lipidModification from '../pathways/cardiovascular/lipid-modification.json';
import secondaryPreventionMi from '../pathways/cardiovascular/secondary-prevention-mi.json';
import copd from '../pathways/copd.json';
import depression from '../pathways/depression.json';
import classes from '../pathways/knowledge/classes.json';
import classesCardiorenal from '../pathways/knowledge/classes-cardiorenal.json';
import classesPharmacological from '../pathways/knowledge/classes-pharmacological.json';
import concepts from '../pathways/knowledge/concepts.json';
import conceptsCardiac from '../pathways/knowledge/concepts-cardiac.json';
import conceptsCardiovascularRisk from '../pathways/knowledge/concepts-cardiovascular-risk.json';
import conceptsDepression from '../pathways/knowledge/concepts-depression.json';
import conceptsHeartFailure from '../pathways/knowledge/concepts-heart-failure.json';
import conceptsSafety from '../pathways/knowledge/concepts-safety.json';
import drugCondition from '../pathways/knowledge/drug-condition.json';
import ingredients from '../pathways/knowledge/ingredients.json';
import interactionsCardiorenal from '../pathways/knowledge/interactions-cardiorenal.json';
import interactionsCns from '../pathways/knowledge/interactions-cns.json';
import products from '../pathways/knowledge/products.json';

/**
 * The pathways and knowledge files that ship with carepath, imported as data so that the
 * library needs no file system (it runs in a browser or an EHR's JavaScript sandbox). Each
 * entry carries the path it has in the package, for messages.
 */
export const bundledPathwayFiles: readonly { readonly file: string; readonly json: unknown }[] = [
  { file: 'pathways/cardiovascular/atrial-fibrillation.json', json: atrialFibrillation },
  { file: 'pathways/cardiovascular/heart-failure.json', json: heartFailure },
  { file: 'pathways/cardiovascular/hypertension.json', json: hypertension },
  { file: 'pathways/cardiovascular/lipid-modification.json', json: lipidModification },
  { file: 'pathways/cardiovascular/secondary-prevention-mi.json', json: secondaryPreventionMi },
  { file: 'pathways/copd.json', json: copd },
  { file: 'pathways/depression.json', json: depression },
];

/** The knowledge files that ship with carepath. */
export const bundledKnowledgeFiles: readonly { readonly file: string; readonly json: unknown }[] = [
  { file: 'pathways/knowledge/classes.json', json: classes },
  { file: 'pathways/knowledge/classes-cardiorenal.json', json: classesCardiorenal },
  { file: 'pathways/knowledge/classes-pharmacological.json', json: classesPharmacological },
  { file: 'pathways/knowledge/concepts.json', json: concepts },
  { file: 'pathways/knowledge/concepts-cardiac.json', json: conceptsCardiac },
  { file: 'pathways/knowledge/concepts-cardiovascular-risk.json', json: conceptsCardiovascularRisk },
  { file: 'pathways/knowledge/concepts-depression.json', json: conceptsDepression },
  { file: 'pathways/knowledge/concepts-heart-failure.json', json: conceptsHeartFailure },
  { file: 'pathways/knowledge/concepts-safety.json', json: conceptsSafety },
  { file: 'pathways/knowledge/drug-condition.json', json: drugCondition },
  { file: 'pathways/knowledge/ingredients.json', json: ingredients },
  { file: 'pathways/knowledge/interactions-cardiorenal.json', json: interactionsCardiorenal },
  { file: 'pathways/knowledge/interactions-cns.json', json: interactionsCns },
  { file: 'pathways/knowledge/products.json', json: products },
];

let defaults: { knowledge: KnowledgeBase; pathways: readonly CompiledPathway[] } | undefined;

/**
 * The bundled knowledge base and pathways, validated and compiled on first use and then
 * shared. Throws only if the shipped data is itself invalid, which the test suite rules out.
 */
export function bundledDefaults(): { readonly knowledge: KnowledgeBase; readonly pathways: readonly CompiledPathway[] } {
  if (defaults === undefined) {
    const knowledge = loadKnowledge(bundledKnowledgeFiles);
    if (!knowledge.ok) throw new Error(`carepath: bundled knowledge is invalid:\n${knowledge.issues.map(formatIssue).join('\n')}`);
    const pathways = loadPathways(bundledPathwayFiles, knowledge.value);
    if (!pathways.ok) throw new Error(`carepath: bundled pathways are invalid:\n${pathways.issues.map(formatIssue).join('\n')}`);
    defaults = { knowledge: knowledge.value, pathways: pathways.value };
  }
  return defaults;
}
