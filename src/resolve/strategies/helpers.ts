import type { Management } from '../../schema/generated/knowledge.js';
import { fact } from '../../facts.js';
import type { GuidelineSource, Resolution } from '../../schema/generated/report.js';
import type { DetectContext, Finding } from '../../conflict/types.js';
import type { KnowledgeBase } from '../../knowledge/types.js';
import type { Candidate, PlanEditor } from '../types.js';
import { type Exposure, exposuresOf, within } from '../../conflict/exposures.js';
import { relationBetween } from '../../conflict/relations.js';
import { itemIngredients } from '../../plan/merge.js';
import { type CarePlan, planItems, type PlanItem } from '../../plan/types.js';
import { appendTo } from '../../order.js';

// Indexed loops and no closures in this module: its helpers run for every strategy on every conflict of a check, where `for...of` allocated an iterator and each callback that reads a variable a closure.

/** The plan items a finding involves, in its order. */
export function findingItems(finding: Finding, context: DetectContext): PlanItem[] {
  const items: PlanItem[] = [];
  for (let i = 0; i < finding.items.length; i++) {
    const item = context.plan.items[finding.items[i] as string];
    if (item !== undefined) items.push(item);
  }
  return items;
}

/** Per plan: its drug exposures by item id, made when first asked (resolution asks of the checked plan alone). */
const exposuresById = fact((plan: CarePlan, knowledge: KnowledgeBase): ReadonlyMap<string, Exposure> => {
  const exposures = exposuresOf(plan, knowledge);
  const byId = new Map<string, Exposure>();
  for (let i = 0; i < exposures.length; i++) byId.set((exposures[i] as Exposure).item.id, exposures[i] as Exposure);
  return byId;
});

/**
 * The plan's drug exposures among a conflict's items, in the conflict's order: each of its few
 * items looked up by id, rather than the plan's exposures searched for each.
 */
export function conflictExposures(finding: Finding, { plan, knowledge }: DetectContext): Exposure[] {
  const byId = exposuresById(plan, knowledge);
  const found: Exposure[] = [];
  for (let i = 0; i < finding.items.length; i++) {
    const exposure = byId.get(finding.items[i] as string);
    if (exposure !== undefined) found.push(exposure);
  }
  return found;
}

/** The evidence of an option no source advises (ranked after every advised one; lower is stronger). */
export const UNADVISED = 10;

/** The position of a conflict's first advice of a strategy in its management list, or -1 when none advises it. */
export function adviceIndex(finding: Finding, strategy: Management['strategy']): number {
  for (let i = 0; i < finding.management.length; i++) if ((finding.management[i] as Management).strategy === strategy) return i;
  return -1;
}

/** How strongly the rule's source backs a strategy: its position in the management list, or `UNADVISED` when not listed. */
export function evidenceOf(finding: Finding, strategy: Management['strategy']): number {
  const at = adviceIndex(finding, strategy);
  return at === -1 ? UNADVISED : at;
}

/** No candidates: what a strategy proposes for a conflict it has nothing for (shared, never changed). */
export const NO_CANDIDATES: readonly Candidate[] = Object.freeze([]);

/** A change that is the same whatever the conflict (a piece of a rule's advice, or stopping one item's drug): its words, its key and the edit. */
export interface AdvisedChange {
  readonly description: string;
  readonly key: string;
  readonly change: (plan: PlanEditor) => void;
}

/**
 * Works out the change a piece of advice makes once per knowledge base and remembers it: a
 * rule's advice is shared by every conflict and every check, so its words and its new plan item
 * (frozen, as plan items are) need not be made again. `make` gives undefined for advice that
 * makes no change.
 */
export function perAdvice(make: (m: Management, knowledge: KnowledgeBase) => AdvisedChange | undefined): (m: Management, knowledge: KnowledgeBase) => AdvisedChange | undefined {
  const memos = fact((_knowledge: KnowledgeBase) => new WeakMap<Management, AdvisedChange | null>());
  return (m, knowledge) => {
    const memo = memos(knowledge);
    let change = memo.get(m);
    if (change === undefined) memo.set(m, (change = make(m, knowledge) ?? null));
    return change ?? undefined;
  };
}

/**
 * Works out something that depends only on a plan item's id and wording (a change's words, key
 * and edit) once per knowledge base, id and wording, and remembers it: the same item comes back
 * in check after check. `make` must read nothing else of the item.
 */
export function perItem<T>(make: (item: PlanItem) => T): (item: PlanItem, knowledge: KnowledgeBase) => T {
  const memos = fact((_knowledge: KnowledgeBase) => new Map<string, Map<string, T>>());
  return (item, knowledge) => {
    const byId = memos(knowledge);
    let byName = byId.get(item.id);
    if (byName === undefined) byId.set(item.id, (byName = new Map<string, T>()));
    let made = byName.get(item.target.name);
    if (made === undefined) byName.set(item.target.name, (made = make(item)));
    return made;
  };
}

/** How a strategy turns a conflict's advice into candidates. */
export interface AdviceStrategy {
  readonly strategy: Management['strategy'] & Resolution['strategy'];
  readonly addedBurden: number;
  /** Only the first piece of advice that makes a change (one referral is enough). */
  readonly firstOnly?: boolean;
  readonly changeOf: (m: Management, knowledge: KnowledgeBase) => AdvisedChange | undefined;
}

/** The candidates of a conflict's advice of one strategy, in the advice's order, all ranked by the strategy's first advice; none for a mitigated conflict. */
export function advisedCandidates(finding: Finding, knowledge: KnowledgeBase, { strategy, addedBurden, firstOnly = false, changeOf }: AdviceStrategy): readonly Candidate[] {
  if (finding.mitigated === true) return NO_CANDIDATES;
  let candidates: Candidate[] | undefined;
  // Every piece of advice of the strategy ranks by its first, and cites the conflict's sources.
  const evidence = evidenceOf(finding, strategy);
  for (let i = 0; i < finding.management.length; i++) {
    const m = finding.management[i] as Management;
    if (m.strategy !== strategy) continue;
    const advised = changeOf(m, knowledge);
    if (advised === undefined) continue;
    candidates = appendTo(candidates, { strategy, description: advised.description, key: advised.key, change: advised.change, addedBurden, evidence, sources: finding.sources });
    if (firstOnly) break;
  }
  return candidates ?? NO_CANDIDATES;
}

/** No sources (shared, never changed). */
export const NO_SOURCES: readonly GuidelineSource[] = Object.freeze([]);

/** The finding's sources, when the rule names the strategy; none otherwise (the finding's own list, shared: a resolution copies it). */
export function sourcesFor(finding: Finding, strategy: Management['strategy']): readonly GuidelineSource[] {
  return adviceIndex(finding, strategy) === -1 ? NO_SOURCES : finding.sources;
}

/** Whether an item is a drug: a current medicine or a recommendation about an ingredient or class. */
export function isDrugItem(item: PlanItem): boolean {
  return item.target.type === 'ingredient' || item.target.type === 'class';
}

/**
 * The exposures of a pair on one side of a rule, reading the pair both ways round: with x on
 * side a and y on side b, side b is y. A drug can belong to both sides' sets (citalopram is
 * itself a QT-prolonging drug), so membership alone does not tell its side.
 */
function onSide(side: 'a' | 'b', x: Exposure, y: Exposure, a: ReadonlySet<string>, b: ReadonlySet<string>): Exposure[] {
  const found: Exposure[] = [];
  if (within(x.ingredients, a) && within(y.ingredients, b)) found.push(side === 'a' ? x : y);
  if (within(y.ingredients, a) && within(x.ingredients, b)) found.push(side === 'a' ? y : x);
  return found;
}

/**
 * For a drug–drug conflict whose rules name the side their advice of one strategy acts on
 * (`side: "b"` in "avoid an NSAID in someone taking an SSRI" acts on the NSAID, not the SSRI):
 * each plan item some advice of that strategy acts on, with that advice's evidence (the position
 * of the first such advice in the conflict's management; advice naming no side acts on both
 * drugs). An item missing from the map is one no source advises acting on. Undefined when no
 * advice of that strategy names a side, or the conflict is of another kind: the advice then acts
 * on either drug, with `evidenceOf`.
 */
export function advisedItems(finding: Finding, strategy: 'avoid' | 'substitute-within-class', context: DetectContext): ReadonlyMap<string, number> | undefined {
  if ((finding.kind !== 'drug-drug' && finding.kind !== 'dose') || !namesSide(finding.management, strategy)) return undefined;
  const [x, y] = conflictExposures(finding, context);
  if (x === undefined || y === undefined) return undefined;
  const advised = new Map<string, number>();
  const { rules } = relationBetween(x, y, context.knowledge);
  for (let r = 0; r < rules.length; r++) {
    const { rule, a, b } = rules[r] as (typeof rules)[number];
    // A drug–drug conflict reports the rules without a dose limit; a dose conflict, those with one.
    if ((rule.doseLimit === undefined) !== (finding.kind === 'drug-drug')) continue;
    for (let k = 0; k < rule.management.length; k++) {
      const m = rule.management[k] as Management;
      if (m.strategy !== strategy) continue;
      // The conflict's management holds each advice once (see `mergedManagement`).
      const evidence = indexOfAdvice(finding.management, m);
      const acted = m.side === undefined ? [x, y] : onSide(m.side, x, y, a, b);
      for (let i = 0; i < acted.length; i++) {
        const { id } = (acted[i] as Exposure).item;
        if (evidence < (advised.get(id) ?? Infinity)) advised.set(id, evidence);
      }
    }
  }
  return advised;
}

/** Whether some advice of a strategy names the side of the rule it acts on. */
function namesSide(management: readonly Management[], strategy: Management['strategy']): boolean {
  for (let i = 0; i < management.length; i++) {
    const m = management[i] as Management;
    if (m.strategy === strategy && m.side !== undefined) return true;
  }
  return false;
}

/** The position of a piece of advice (by strategy and words) in a conflict's management list, which holds each once. */
function indexOfAdvice(management: readonly Management[], advice: Management): number {
  for (let i = 0; i < management.length; i++) {
    const m = management[i] as Management;
    if (m.strategy === advice.strategy && m.detail === advice.detail) return i;
  }
  return -1;
}

/** Per plan: the ingredients a pathway offers for certain (to start or continue, by name or by class); worked out when first asked. */
const offeredForCertain = fact((plan: CarePlan, knowledge: KnowledgeBase): ReadonlySet<string> => {
  const offered = new Set<string>();
  const items = planItems(plan);
  for (let i = 0; i < items.length; i++) {
    const r = items[i] as PlanItem;
    if ((r.action === 'start' || r.action === 'continue') && r.strength === 'offer' && r.certainty === 'definite') for (const ingredient of itemIngredients(r, knowledge)) offered.add(ingredient);
  }
  return offered;
});

/**
 * Whether a pathway offers this medicine for certain (to start or continue it, or its class):
 * carepath does not propose stopping treatment a guideline recommends for the patient. Asked of
 * the current medicines of every conflict, so the plan's offers are gathered once.
 */
export function guidelineTreatment(item: PlanItem, context: DetectContext): boolean {
  if (item.target.type !== 'ingredient' || item.target.id === undefined) return false;
  return offeredForCertain(context.plan, context.knowledge).has(item.target.id);
}
