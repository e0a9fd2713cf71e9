import { MEDICATION_REVIEW_KEY } from '../../conflict/burden.js';
import { planTarget } from '../../plan/types.js';
import { addItem, changeKey, resolutionItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { NO_CANDIDATES } from './helpers.js';

/** For treatment burden: a structured medication review that agrees priorities with the patient (NICE NG56). */
export const sharedDecision: Strategy = {
  strategy: 'shared-decision',
  propose(finding) {
    if (finding.kind !== 'burden' || finding.mitigated === true) return NO_CANDIDATES;
    const description = 'Arrange a structured medication review to agree priorities and stop medicines of low benefit with the patient';
    return [{
      strategy: 'shared-decision',
      description,
      key: changeKey('shared-decision', description),
      change: (plan) => addItem(plan, resolutionItem('review', planTarget('activity', MEDICATION_REVIEW_KEY, 'structured medication review'), description, { timing: { every: 'P1Y' } })),
      addedBurden: 1,
      evidence: 0,
      sources: [...finding.sources],
    }];
  },
};
