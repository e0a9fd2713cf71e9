import type { CheckReport, Conflict, DataQualityNote, Need, PathwayOutcome, PlanItem as ReportPlanItem, Provenance, Unknown } from '../schema/generated/report.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { PathwayEvaluation } from '../pathway/graph.js';
import { byId, compareText, sortInPlace } from '../order.js';
import { triText } from '../pathway/tri.js';
import { durationText } from '../pathway/view.js';
import type { PatientRecord } from '../patient/record.js';
import { withNotes } from '../patient/recognise.js';
import { isRegular, medicineCount } from '../conflict/burden.js';
import type { Finding } from '../conflict/types.js';
import { type CarePlan, type PlanItem, planItems } from '../plan/types.js';
import { version } from '../version.js';

/** Everything a report is made from. */
export interface ReportParts {
  /** The patient record. */
  readonly record: PatientRecord;
  /** The check date. */
  readonly asOf: string;
  /** Every loaded pathway's evaluation. */
  readonly evaluations: readonly PathwayEvaluation[];
  /** The merged plan. */
  readonly plan: CarePlan;
  /** Findings with their verified resolutions. */
  readonly conflicts: readonly Conflict[];
  /** The knowledge base. */
  readonly knowledge: KnowledgeBase;
  /** Notes on what the check worked out from the record (see `PatientView.notes`), beside the record's own. */
  readonly notes: readonly DataQualityNote[];
}

/** How many times a year something with this recurrence happens (once when it does not recur). */
export function perYear(every: string | undefined): number {
  if (every === undefined) return 1;
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(every);
  const days = Number(match?.[1] ?? 0) * 365 + Number(match?.[2] ?? 0) * 30.4375 + Number(match?.[3] ?? 0) * 7 + Number(match?.[4] ?? 0);
  return days > 0 ? Math.round((365 / days) * 100) / 100 : 1;
}

function reportItem(item: PlanItem, knowledge: KnowledgeBase): ReportPlanItem {
  // Fields are set in the report contract's order, and only when present; certainty and provenance follow below.
  const out = { id: item.id, action: item.action, target: item.target.key, name: item.target.name } as ReportPlanItem;
  if (item.target.type === 'ingredient') out.ingredients = [knowledge.ingredients.get(item.target.id ?? '')?.name ?? item.target.id ?? ''];
  if (item.status !== undefined) out.status = item.status;
  if (item.dose !== undefined) out.dose = item.dose;
  if (item.dailyMg !== undefined) out.dailyMg = item.dailyMg;
  out.certainty = item.certainty;
  if (item.strength !== undefined) out.strength = item.strength;
  const { every, text } = item.timing ?? {};
  const timing = every === undefined ? text : text === undefined ? `every ${durationText(every)}` : `every ${durationText(every)}; ${text}`;
  if (timing !== undefined && timing !== '') out.timing = timing;
  out.provenance = item.provenance as Provenance[];
  return out;
}

/** Orders missing data by content: kind, concept, then message. */
function byContent(a: Need, b: Need): number {
  return compareText(a.kind, b.kind) || compareText(a.concept, b.concept) || compareText(a.message, b.message);
}

/** Records that some missing data leave something undecided (see `unknownsOf`). */
function addAffected(byObject: Map<Need, string[]>, needs: readonly Need[] | undefined, affected: string): void {
  if (needs === undefined) return;
  for (let i = 0; i < needs.length; i++) {
    const need = needs[i] as Need;
    const affects = byObject.get(need);
    if (affects === undefined) byObject.set(need, [affected]);
    // Each pathway, step and conflict is added once, all its needs together, so a repeat of it can only be the last one added.
    else if (affects[affects.length - 1] !== affected) affects.push(affected);
  }
}

/**
 * Gathers every missing datum once, with everything it leaves undecided. A missing datum is
 * mostly one object shared by every step and conflict it affects (predicates make it once), so
 * needs are gathered by object first, then ordered by content and merged where the content is the
 * same (the first met stands for them).
 */
function unknownsOf(parts: ReportParts): Unknown[] {
  const byObject = new Map<Need, string[]>();
  for (let e = 0; e < parts.evaluations.length; e++) {
    const evaluation = parts.evaluations[e] as PathwayEvaluation;
    const id = evaluation.pathway.id;
    if (evaluation.applies.value === 'unknown') addAffected(byObject, evaluation.applies.needs, id);
    for (let s = 0; s < evaluation.steps.length; s++) {
      const step = evaluation.steps[s] as PathwayEvaluation['steps'][number];
      if (step.applies.value === 'unknown') addAffected(byObject, step.applies.needs, stepKey(id, step.step));
    }
  }
  for (let c = 0; c < parts.conflicts.length; c++) {
    const conflict = parts.conflicts[c] as Conflict;
    addAffected(byObject, conflict.settledBy, conflict.id);
  }
  const unknowns: Unknown[] = [];
  let last: Unknown | undefined;
  const needs = sortInPlace([...byObject.keys()], byContent);
  for (let n = 0; n < needs.length; n++) {
    const need = needs[n] as Need;
    const affects = byObject.get(need) ?? [];
    if (last !== undefined && byContent(last.need, need) === 0) {
      for (const affected of affects) if (!last.affects.includes(affected)) last.affects.push(affected);
    } else unknowns.push((last = { need, affects }));
  }
  for (let u = 0; u < unknowns.length; u++) sortInPlace((unknowns[u] as Unknown).affects);
  return unknowns;
}

/** `pathway/step`, as the report names a step that a missing datum leaves undecided; made once per step. */
const stepKeys = new Map<string, Map<string, string>>();

function stepKey(pathway: string, step: string): string {
  let byStep = stepKeys.get(pathway);
  if (byStep === undefined) stepKeys.set(pathway, (byStep = new Map<string, string>()));
  let key = byStep.get(step);
  if (key === undefined) byStep.set(step, (key = `${pathway}/${step}`));
  return key;
}

/** Assembles the report in canonical order, so the same input gives byte-identical JSON whatever its order. */
export function buildReport(parts: ReportParts): CheckReport {
  const { record, plan, knowledge } = parts;
  const pathways: PathwayOutcome[] = parts.evaluations
    .map((e) => ({ id: e.pathway.id, title: e.pathway.title, version: e.pathway.version, applies: triText(e.applies.value), needs: [...e.applies.needs] }));
  sortInPlace(pathways, byId);
  const regular = record.medications.filter(isRegular);
  const starts = planItems(plan).filter((i) => i.action === 'start' && i.status !== 'already-taking' && (i.target.type === 'ingredient' || i.target.type === 'class') && i.certainty === 'definite');
  const sum = (values: number[]): number => Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
  return {
    reportVersion: '1',
    patientId: record.id,
    asOf: parts.asOf,
    versions: {
      carepath: version,
      pathways: sortInPlace(parts.evaluations.map((e) => ({ id: e.pathway.id, version: e.pathway.version })), byId),
      knowledge: sortInPlace([...knowledge.versions], byId),
    },
    pathways,
    plan: planItems(plan).map((i) => reportItem(i, knowledge)),
    conflicts: [...parts.conflicts],
    unknowns: unknownsOf(parts),
    dataQuality: withNotes(record.dataQuality, parts.notes),
    burden: {
      medicines: medicineCount(plan, record),
      administrationsPerDay: sum([...regular.map((m) => m.perDay ?? 1), ...starts.map(() => 1)]),
      monitoringPerYear: sum(planItems(plan).filter((i) => i.action === 'monitor').map((i) => perYear(i.timing?.every))),
      reviewsPerYear: sum(planItems(plan).filter((i) => i.action === 'review').map((i) => perYear(i.timing?.every))),
    },
  };
}

/** A finding with its resolutions, as the report contract has it (internal fields dropped). */
export function toConflict(finding: Finding, resolutions: Conflict['resolutions']): Conflict {
  // Field by field in the contract's order (object rest and spread take a slow path in V8).
  const conflict = { id: finding.id, kind: finding.kind, severity: finding.severity, certainty: finding.certainty } as Conflict;
  if (finding.settledBy !== undefined) conflict.settledBy = finding.settledBy;
  if (finding.mitigated !== undefined) conflict.mitigated = finding.mitigated;
  if (finding.rule !== undefined) conflict.rule = finding.rule;
  conflict.participants = finding.participants;
  conflict.explanation = finding.explanation;
  conflict.sources = [...finding.sources];
  conflict.resolutions = resolutions;
  return conflict;
}
