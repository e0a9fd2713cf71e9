import type { Management } from '../schema/generated/knowledge.js';
import type { GuidelineSource } from '../schema/generated/report.js';

/** A rule's source as the report cites it. */
export function citation(source: { guideline: string; section: string; url: string; title?: string }): GuidelineSource {
  const cited: GuidelineSource = { guideline: source.guideline, section: source.section, url: source.url };
  if (source.title !== undefined) cited.title = source.title;
  return cited;
}

/** Sources without repeats, in order. */
export function uniqueSources(sources: readonly GuidelineSource[]): GuidelineSource[] {
  const out: GuidelineSource[] = [];
  for (const s of sources) if (!out.some((o) => o.url === s.url && o.section === s.section)) out.push(s);
  return out;
}

/**
 * What marks a conflict mitigated: the management of its most severe rules (all those of the
 * leading rule's severity), so that a gastroprotection one rule names for the same bleeding
 * risk counts, but a milder rule's advice never mitigates a more severe one.
 */
export function leadingManagement(rules: readonly { severity: string; management: readonly Management[] }[]): Management[] {
  const [first] = rules;
  return first === undefined ? [] : mergedManagement(rules.filter((r) => r.severity === first.severity));
}

/** Every management entry of several rules, the first rule's first, without repeats. */
export function mergedManagement(rules: readonly { management: readonly Management[] }[]): Management[] {
  const out: Management[] = [];
  for (const rule of rules) for (const m of rule.management) if (!out.some((o) => o.strategy === m.strategy && o.detail === m.detail)) out.push(m);
  return out;
}
