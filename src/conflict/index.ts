import { allergy } from './allergy.js';
import { burden } from './burden.js';
import { contradiction } from './contradiction.js';
import { dose } from './dose.js';
import { drugCondition } from './drug-condition.js';
import { drugDrug } from './drug-drug.js';
import { duplicate } from './duplicate.js';
import { itemOf } from '../plan/types.js';
import { appendTo, byId, sortInPlace } from '../order.js';
import { severityRank, type DetectContext, type Detector, type Finding } from './types.js';

/** Every detector, registered in one place: one per conflict kind, and the recorded-allergy detector, whose findings are drug–condition conflicts. */
export const detectors: readonly Detector[] = [drugDrug, drugCondition, allergy, contradiction, duplicate, dose, burden];

/** How many places a finding can take in canonical order before its id is compared (see `orderClass`). */
const ORDER_CLASSES = 16;

/** A finding's place in canonical order before its id (0 first): definite before possible, most severe first, unmitigated first. */
function orderClass(f: Finding): number {
  return (f.certainty === 'possible' ? 8 : 0) + (4 - severityRank(f.severity)) * 2 + (f.mitigated === true ? 1 : 0);
}

/** Canonical order: by class (see `orderClass`), then by id. */
export function compareFindings(a: Finding, b: Finding): number {
  return orderClass(a) - orderClass(b) || byId(a, b);
}

/**
 * Whether a re-check's focus holds a drug or advice about one (or an item taken out): a test,
 * referral or review added to a plan is in no conflict of its own, so only the plan-wide
 * detectors can find anything new.
 */
function focusHasDrugs({ plan, focus }: DetectContext): boolean {
  if (focus === undefined) return true;
  for (const id of focus.keys()) {
    const type = itemOf(plan, id)?.target.type;
    if (type === undefined || type === 'ingredient' || type === 'class' || type === 'combination') return true;
  }
  return false;
}

/** The finding with this id in a list, looking from `start` on (a short scan: the lists are a check's few findings). */
export function findingWithId(findings: readonly Finding[], id: string, start = 0): Finding | undefined {
  for (let i = start; i < findings.length; i++) if ((findings[i] as Finding).id === id) return findings[i];
  return undefined;
}

/**
 * Runs every detector on the context and returns all findings, one per id (the first found), in
 * no particular order: a re-check reads them by id and puts in order only the few it reports.
 * An id names its kind, so a repeat can only come from the same detector (two items with one
 * target, as `start` and `continue`), and each detector's findings are compared among
 * themselves: a short scan, where a map per re-check made garbage.
 */
export function findConflicts(context: DetectContext): Finding[] {
  const drugs = focusHasDrugs(context);
  // Made when the first finding comes, to size: a re-check most often finds none or one.
  let found: Finding[] | undefined;
  for (const detector of detectors) {
    if (!drugs && detector.planWide !== true) continue;
    const start = found?.length ?? 0;
    const findings = detector.detect(context);
    for (let i = 0; i < findings.length; i++) {
      const finding = findings[i] as Finding;
      if (found === undefined || findingWithId(found, finding.id, start) === undefined) found = appendTo(found, finding);
    }
  }
  return found ?? [];
}

/**
 * Runs every detector on the context and returns all findings in canonical order (that of
 * `compareFindings`), one per id (see `findConflicts`): each finding is placed in its class
 * first, then each class is sorted by id, so a heavy check's seventy findings need a few short
 * sorts of ids, not one sort comparing four keys each time.
 */
export function detectConflicts(context: DetectContext): Finding[] {
  const findings = findConflicts(context);
  const classes = new Array<Finding[] | undefined>(ORDER_CLASSES);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    const c = orderClass(f);
    classes[c] = appendTo(classes[c], f);
  }
  let k = 0;
  for (let c = 0; c < ORDER_CLASSES; c++) {
    const members = classes[c];
    if (members === undefined) continue;
    sortInPlace(members, byId);
    for (let i = 0; i < members.length; i++) findings[k++] = members[i] as Finding;
  }
  return findings;
}
