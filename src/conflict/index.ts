import { burden } from './burden.js';
import { contradiction } from './contradiction.js';
import { dose } from './dose.js';
import { drugCondition } from './drug-condition.js';
import { drugDrug } from './drug-drug.js';
import { duplicate } from './duplicate.js';
import { severityRank, type DetectContext, type Detector, type Finding } from './types.js';

/** Every detector, one per conflict kind, in the order their findings are reported. */
export const detectors: readonly Detector[] = [drugDrug, drugCondition, contradiction, duplicate, dose, burden];

/** Canonical order: definite before possible, most severe first, unmitigated before mitigated, then by id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    Number(a.certainty === 'possible') - Number(b.certainty === 'possible') ||
    severityRank(b.severity) - severityRank(a.severity) ||
    Number(a.mitigated === true) - Number(b.mitigated === true) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Runs every detector on the context and returns all findings in canonical order, one per id. */
export function detectConflicts(context: DetectContext): Finding[] {
  const byId = new Map<string, Finding>();
  for (const detector of detectors) for (const finding of detector.detect(context)) if (!byId.has(finding.id)) byId.set(finding.id, finding);
  return [...byId.values()].sort(compareFindings);
}
