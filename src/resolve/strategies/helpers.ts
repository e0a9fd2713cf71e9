import type { Management } from '../../schema/generated/knowledge.js';
import type { GuidelineSource } from '../../schema/generated/report.js';
import type { DetectContext, Finding } from '../../conflict/types.js';
import { exposuresOf } from '../../conflict/exposures.js';
import { relationBetween } from '../../conflict/relations.js';
import type { PlanItem } from '../../plan/types.js';

/** The plan items a finding involves, in its order. */
export function findingItems(finding: Finding, context: DetectContext): PlanItem[] {
  const items: PlanItem[] = [];
  for (const id of finding.items) {
    const item = context.plan.items[id];
    if (item !== undefined) items.push(item);
  }
  return items;
}

/** The evidence of an option no source advises (ranked after every advised one; lower is stronger). */
export const UNADVISED = 10;

/** How strongly the rule's source backs a strategy: its position in the management list, or `UNADVISED` when not listed. */
export function evidenceOf(finding: Finding, strategy: Management['strategy']): number {
  const at = finding.management.findIndex((m) => m.strategy === strategy);
  return at === -1 ? UNADVISED : at;
}

/** The management entries of one strategy. */
export function managementOf(finding: Finding, strategy: Management['strategy']): Management[] {
  return finding.management.filter((m) => m.strategy === strategy);
}

const NO_SOURCES: readonly GuidelineSource[] = [];

/** The finding's sources, when the rule names the strategy; none otherwise (the finding's own list, shared: a resolution copies it). */
export function sourcesFor(finding: Finding, strategy: Management['strategy']): readonly GuidelineSource[] {
  return finding.management.some((m) => m.strategy === strategy) ? finding.sources : NO_SOURCES;
}

/** Whether an item is a drug: a current medicine or a recommendation about an ingredient or class. */
export function isDrugItem(item: PlanItem): boolean {
  return item.target.type === 'ingredient' || item.target.type === 'class';
}

/**
 * The plan items that a drug–drug conflict's advice of one strategy acts on, when its rules name
 * the side (`side: "b"` in "avoid an NSAID in someone taking an SSRI" acts on the NSAID, not the
 * SSRI); undefined when the advice may act on either drug (some rule's advice of that strategy
 * names no side, or the conflict is of another kind).
 */
export function advisedItems(finding: Finding, strategy: 'avoid' | 'substitute-within-class', context: DetectContext): ReadonlySet<string> | undefined {
  if ((finding.kind !== 'drug-drug' && finding.kind !== 'dose') || !finding.management.some((m) => m.strategy === strategy && m.side !== undefined)) return undefined;
  const [x, y] = exposuresOf(context.plan, context.knowledge).filter((e) => finding.items.includes(e.item.id));
  if (x === undefined || y === undefined) return undefined;
  const acting = new Set<string>();
  for (const { rule, a, b } of relationBetween(x, y, context.knowledge).rules) {
    // A drug–drug conflict reports the rules without a dose limit; a dose conflict, those with one.
    if ((rule.doseLimit === undefined) !== (finding.kind === 'drug-drug')) continue;
    for (const m of rule.management) {
      if (m.strategy !== strategy) continue;
      if (m.side === undefined) return undefined;
      const side = m.side === 'a' ? a : b;
      for (const e of [x, y]) if (e.ingredients.every((i) => side.has(i))) acting.add(e.item.id);
    }
  }
  return acting;
}
