import { deepFreeze } from '../../schema/json.js';
import { planTarget } from '../../plan/types.js';
import { addItem, changeKey, resolutionItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { advisedCandidates, perAdvice, type AdviceStrategy } from './helpers.js';

const monitoring: AdviceStrategy = {
  strategy: 'monitor',
  addedBurden: 1,
  changeOf: perAdvice((m, knowledge) => {
    if (m.test === undefined) return undefined;
    const name = knowledge.observations.get(m.test)?.definition.name ?? m.test;
    const description = `Monitor ${name}: ${m.detail}`;
    const item = deepFreeze(resolutionItem('monitor', planTarget('test', `test:${m.test}`, name, m.test), description, { timing: { text: m.detail } }));
    return { description, key: changeKey('monitor', description), change: (plan) => addItem(plan, item) };
  }),
};

/** Monitor the test the rule names (potassium, sodium, INR, ECG...), which keeps the combination but mitigates it. */
export const monitor: Strategy = {
  strategy: 'monitor',
  propose: (finding, { knowledge }) => advisedCandidates(finding, knowledge, monitoring),
};
