import { STAGGER_MARK } from '../../conflict/mitigation.js';
import type { Strategy } from '../types.js';
import { evidenceOf, findingItems, managementOf, sourcesFor } from './helpers.js';

/** Stagger the doses when the rule says separating them avoids the interaction. */
export const staggerOrPause: Strategy = {
  strategy: 'stagger-or-pause',
  propose(finding, context) {
    if (finding.mitigated === true) return [];
    const [m] = managementOf(finding, 'separate-doses');
    const [first] = findingItems(finding, context);
    if (m === undefined || first === undefined) return [];
    const description = `${STAGGER_MARK}${m.detail}`;
    return [{
      strategy: 'stagger-or-pause',
      description,
      change: (draft) => {
        const target = draft.items.find((i) => i.id === first.id);
        if (target === undefined) return;
        target.timing = { ...(target.timing ?? {}), text: m.detail };
        target.provenance.push({ from: 'resolution', text: description });
      },
      addedBurden: 0,
      evidence: evidenceOf(finding, 'separate-doses'),
      sources: sourcesFor(finding, 'separate-doses'),
    }];
  },
};
