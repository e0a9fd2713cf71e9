import type { Management } from '../../schema/generated/knowledge.js';
import type { GuidelineSource } from '../../schema/generated/report.js';
import type { DetectContext, Finding } from '../../conflict/types.js';
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

/** How strongly the rule's source backs a strategy: its position in the management list, or 10 when not listed. */
export function evidenceOf(finding: Finding, strategy: Management['strategy']): number {
  const at = finding.management.findIndex((m) => m.strategy === strategy);
  return at === -1 ? 10 : at;
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
