import { deepFreeze } from '../../schema/json.js';
import { planTarget } from '../../plan/types.js';
import { addItem, changeKey, resolutionItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { advisedCandidates, perAdvice, type AdviceStrategy } from './helpers.js';

const referral: AdviceStrategy = {
  strategy: 'refer',
  addedBurden: 1,
  firstOnly: true,
  changeOf: perAdvice((m) => {
    const description = `Seek specialist advice: ${m.detail}`;
    const item = deepFreeze(resolutionItem('refer', planTarget('referral', 'referral:specialist-advice', 'specialist advice'), description));
    return { description, key: changeKey('refer', description), change: (plan) => addItem(plan, item) };
  }),
};

/** Refer for specialist advice, when the rule's source says the combination needs it. */
export const refer: Strategy = {
  strategy: 'refer',
  propose: (finding, { knowledge }) => advisedCandidates(finding, knowledge, referral),
};
