import { addItem, changeKey, resolutionItem } from '../edits.js';
import type { Strategy } from '../types.js';
import { evidenceOf, managementOf, sourcesFor } from './helpers.js';

/** Monitor the test the rule names (potassium, sodium, INR, ECG...), which keeps the combination but mitigates it. */
export const monitor: Strategy = {
  strategy: 'monitor',
  propose(finding, { knowledge }) {
    if (finding.mitigated === true) return [];
    return managementOf(finding, 'monitor').flatMap((m) => {
      if (m.test === undefined) return [];
      const observation = knowledge.observations.get(m.test)?.definition;
      const name = observation?.name ?? m.test;
      const description = `Monitor ${name}: ${m.detail}`;
      return [{
        strategy: 'monitor' as const,
        description,
        key: changeKey('monitor', description),
        change: (plan) => addItem(plan, resolutionItem('monitor', { type: 'test', key: `test:${m.test ?? ''}`, id: m.test ?? '', name }, description, { timing: { text: m.detail } })),
        addedBurden: 1,
        evidence: evidenceOf(finding, 'monitor'),
        sources: sourcesFor(finding, 'monitor'),
      }];
    });
  },
};
