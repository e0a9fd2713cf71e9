import { STAGGER_MARK } from '../../conflict/mitigation.js';
import { planItem } from '../../plan/types.js';
import { changeKey, fromResolution, updateItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { adviceIndex, evidenceOf, findingItems, NO_CANDIDATES, sourcesFor } from './helpers.js';

/** Stagger the doses when the rule says separating them avoids the interaction. */
export const staggerOrPause: Strategy = {
  strategy: 'stagger-or-pause',
  propose(finding, context) {
    if (finding.mitigated === true) return NO_CANDIDATES;
    // Asked first: reading a list at -1 is a slow lookup of a property named "-1", for most conflicts.
    const index = adviceIndex(finding, 'separate-doses');
    const m = index === -1 ? undefined : finding.management[index];
    if (m === undefined) return NO_CANDIDATES;
    const [first] = findingItems(finding, context);
    if (first === undefined) return NO_CANDIDATES;
    const description = `${STAGGER_MARK}${m.detail}`;
    return [{
      strategy: 'stagger-or-pause',
      description,
      key: changeKey('stagger-or-pause', description, first.id),
      change: (plan) =>
        updateItem(plan, first.id, (current) =>
          planItem(current, { timing: current.timing?.every === undefined ? { text: m.detail } : { text: m.detail, every: current.timing.every }, provenance: [...current.provenance, fromResolution(description)] }),
        ),
      addedBurden: 0,
      evidence: evidenceOf(finding, 'separate-doses'),
      sources: sourcesFor(finding, 'separate-doses'),
    }];
  },
};
