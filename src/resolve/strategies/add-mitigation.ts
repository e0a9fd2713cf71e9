import { drugTarget } from '../../plan/merge.js';
import { deepFreeze } from '../../schema/json.js';
import { addItem, changeKey, resolutionItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { advisedCandidates, perAdvice, type AdviceStrategy } from './helpers.js';

const mitigation: AdviceStrategy = {
  strategy: 'add-mitigation',
  addedBurden: 1,
  changeOf: perAdvice((m, knowledge) => {
    if (m.mitigation === undefined) return undefined;
    const target = drugTarget(m.mitigation, knowledge);
    const description = `Add ${target.name}: ${m.detail}`;
    const item = deepFreeze(resolutionItem('start', target, description));
    return { description, key: changeKey('add-mitigation', description), change: (plan) => addItem(plan, item) };
  }),
};

/** Add a mitigation the rule names, such as a PPI for gastroprotection beside an SSRI and aspirin. */
export const addMitigation: Strategy = {
  strategy: 'add-mitigation',
  propose: (finding, { knowledge }) => advisedCandidates(finding, knowledge, mitigation),
};
