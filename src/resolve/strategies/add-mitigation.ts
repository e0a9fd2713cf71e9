import { drugTarget } from '../../plan/merge.js';
import { addItem, changeKey, resolutionItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { evidenceOf, managementOf, sourcesFor } from './helpers.js';

/** Add a mitigation the rule names, such as a PPI for gastroprotection beside an SSRI and aspirin. */
export const addMitigation: Strategy = {
  strategy: 'add-mitigation',
  propose(finding, { knowledge }) {
    if (finding.mitigated === true) return [];
    return managementOf(finding, 'add-mitigation').flatMap((m) => {
      if (m.mitigation === undefined) return [];
      const target = drugTarget(m.mitigation, knowledge);
      const description = `Add ${target.name}: ${m.detail}`;
      return [{
        strategy: 'add-mitigation' as const,
        description,
        key: changeKey('add-mitigation', description),
        change: (plan) => addItem(plan, resolutionItem('start', target, description)),
        addedBurden: 1,
        evidence: evidenceOf(finding, 'add-mitigation'),
        sources: sourcesFor(finding, 'add-mitigation'),
      }];
    });
  },
};
