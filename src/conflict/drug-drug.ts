import type { Management } from '../schema/generated/knowledge.js';
import type { GuidelineSource } from '../schema/generated/report.js';
import { exposurePairs, exposuresOf, isPossible, itemParticipant } from './exposures.js';
import { rulesBetween } from './relations.js';
import { conflictId } from './ids.js';
import { isMitigated } from './mitigation.js';
import { certaintyOf, mergeNeeds, severityRank, type Detector, type Finding } from './types.js';

/** A rule's source as the report cites it. */
export function citation(source: { guideline: string; section: string; url: string; title?: string }): GuidelineSource {
  return { guideline: source.guideline, section: source.section, url: source.url, ...(source.title === undefined ? {} : { title: source.title }) };
}

/** Severity first, then rule id: the order in which several rules about one pair are reported. */
export function byRuleSeverity<T extends { severity: Finding['severity']; id: string }>(a: T, b: T): number {
  return severityRank(b.severity) - severityRank(a.severity) || (a.id < b.id ? -1 : 1);
}

/** Every management entry of several rules, the first rule's first, without repeats. */
export function mergedManagement(rules: readonly { management: readonly Management[] }[]): Management[] {
  const out: Management[] = [];
  for (const rule of rules) for (const m of rule.management) if (!out.some((o) => o.strategy === m.strategy && o.detail === m.detail)) out.push(m);
  return out;
}

/**
 * Drug–drug interactions between every pair of drugs the plan puts together: one conflict per
 * pair, carrying every rule that applies (the most severe decides the severity and leads the
 * explanation). Dose-limited rules are left to the dose detector.
 */
export const drugDrug: Detector = {
  kind: 'drug-drug',
  detect(context) {
    const { plan, knowledge } = context;
    const exposures = exposuresOf(plan, knowledge);
    const findings: Finding[] = [];
    for (const [a, b] of exposurePairs(exposures, context.focus)) {
      const rules = rulesBetween(a, b, knowledge).map((r) => r.rule).filter((r) => r.doseLimit === undefined).sort(byRuleSeverity);
      const [primary, ...others] = rules;
      if (primary === undefined) continue;
      const possible = isPossible(a.item) || isPossible(b.item);
      const needs = mergeNeeds(a.item.needs, b.item.needs);
      const also = others.filter((r) => r.mechanism !== primary.mechanism).map((r) => r.mechanism);
      findings.push({
        id: conflictId('drug-drug', undefined, [a.item.target.key, b.item.target.key]),
        kind: 'drug-drug',
        severity: primary.severity,
        ...certaintyOf(possible, needs),
        ...(isMitigated(plan, primary.management, knowledge, [a.item.id, b.item.id]) ? { mitigated: true } : {}),
        rule: primary.id,
        participants: [itemParticipant(a.item), itemParticipant(b.item)],
        explanation: `${a.item.target.name} with ${b.item.target.name}: ${primary.mechanism}${also.length > 0 ? ` Also: ${also.join(' ')}` : ''}`,
        sources: uniqueSources(rules.map((r) => citation(r.source))),
        items: [a.item.id, b.item.id],
        management: mergedManagement(rules),
      });
    }
    return findings;
  },
};

/** Sources without repeats, in order. */
export function uniqueSources(sources: readonly GuidelineSource[]): GuidelineSource[] {
  const out: GuidelineSource[] = [];
  for (const s of sources) if (!out.some((o) => o.url === s.url && o.section === s.section)) out.push(s);
  return out;
}
