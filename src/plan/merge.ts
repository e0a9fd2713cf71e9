import { castDraft, produce } from 'immer';
import type { Provenance } from '../schema/generated/report.js';
import type { Recommendation } from '../schema/generated/pathway.js';
import type { DrugRef } from '../schema/generated/common.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { FiredRecommendation } from '../pathway/graph.js';
import type { PatientRecord } from '../patient/record.js';
import type { CarePlan, PlanItem, PlanTarget } from './types.js';

type Draft = { -readonly [K in keyof PlanItem]: PlanItem[K] extends readonly (infer U)[] ? U[] : PlanItem[K] };

const strengthRank: Record<Recommendation['strength'], number> = { offer: 3, consider: 2, 'do-not-offer': 1 };

/** The plan target of a drug reference. */
export function drugTarget(ref: DrugRef, knowledge: KnowledgeBase): PlanTarget {
  if ('ingredient' in ref) {
    return { type: 'ingredient', key: `ingredient:${ref.ingredient}`, id: ref.ingredient, name: knowledge.ingredients.get(ref.ingredient)?.name ?? ref.ingredient };
  }
  return { type: 'class', key: `class:${ref.class}`, id: ref.class, name: knowledge.classes.get(ref.class)?.definition.name ?? ref.class };
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The plan targets of a recommendation: one per component of a combination. */
function recommendationTargets(recommendation: Recommendation, knowledge: KnowledgeBase): PlanTarget[] {
  const t = recommendation.target;
  switch (t.type) {
    case 'ingredient':
      return [drugTarget({ ingredient: t.ingredient }, knowledge)];
    case 'class':
      return [drugTarget({ class: t.class }, knowledge)];
    case 'combination': {
      const components = t.components.map((c) => drugTarget(c, knowledge));
      if (recommendation.kind !== 'avoid' && recommendation.kind !== 'stop') return components;
      const key = `combination:${components.map((c) => c.key).sort().join('+')}`;
      return [{ type: 'combination', key, name: components.map((c) => c.name).join(' with '), components }];
    }
    case 'test':
      return [{ type: 'test', key: `test:${t.observation ?? slug(t.name)}`, ...(t.observation === undefined ? {} : { id: t.observation }), name: t.name }];
    case 'activity':
      return [{ type: 'activity', key: `activity:${slug(t.name)}`, name: t.name }];
    case 'referral':
      return [{ type: 'referral', key: `referral:${slug(t.service)}`, name: t.service }];
  }
}

/** A stable sort key for provenance, independent of input order except through item ids. */
function provenanceKey(p: Provenance): string {
  return [p.from, p.pathway ?? '', p.step ?? '', p.recommendation ?? '', p.location ?? '', p.text ?? ''].join('\u0000');
}

function addProvenance(list: Provenance[], entry: Provenance): void {
  const key = provenanceKey(entry);
  if (!list.some((p) => provenanceKey(p) === key)) list.push(entry);
}

function timingOf(recommendation: Recommendation): PlanItem['timing'] | undefined {
  const t = recommendation.timing;
  if (t === undefined) return undefined;
  const words = [t.text, t.within === undefined ? undefined : `within ${t.within}`, t.for === undefined ? undefined : `for ${t.for}`].filter((w) => w !== undefined);
  return { ...(words.length > 0 ? { text: words.join('; ') } : {}), ...(t.every === undefined ? {} : { every: t.every }) };
}

/**
 * Merges current medication and fired recommendations into a care plan. Items are keyed by
 * action and target, so duplicates collapse and keep all their provenance; the result is in
 * canonical order, so the order of inputs never matters (merge is commutative, associative
 * and idempotent). A recommendation to start or continue a drug the patient already takes is
 * marked `already-taking`.
 */
export function mergePlan(record: PatientRecord, recommendations: readonly FiredRecommendation[], knowledge: KnowledgeBase): CarePlan {
  return produce<{ items: Record<string, PlanItem> }>({ items: {} }, (plan) => {
    const byId = new Map<string, Draft>();
    // Target wording, timing and dose come from the recommendation that sorts first, so that merge order never matters.
    const chosen = new Map<string, string>();
    const upsert = (action: PlanItem['action'], target: PlanTarget): Draft => {
      const id = `${action}:${target.key}`;
      let item = byId.get(id);
      if (item === undefined) {
        item = { id, action, target, certainty: 'possible', provenance: [], needs: [] };
        byId.set(id, item);
      }
      return item;
    };

    for (const medication of record.medications) {
      if (!medication.current) continue;
      for (const ingredient of medication.ingredients) {
        const item = upsert('take', drugTarget({ ingredient: ingredient.id }, knowledge));
        item.certainty = 'definite';
        item.status = item.status === undefined || item.status === medication.status ? medication.status : 'active';
        if (ingredient.dailyMg !== undefined) item.dailyMg = (item.dailyMg ?? 0) + ingredient.dailyMg;
        if (medication.perDay !== undefined) item.perDay = Math.max(item.perDay ?? 0, medication.perDay);
        if (medication.doseText !== undefined) item.dose = medication.doseText;
        addProvenance(item.provenance, { from: 'current-medication', location: medication.location, text: medication.text });
      }
    }

    for (const fired of recommendations) {
      const r = fired.recommendation;
      for (const target of recommendationTargets(r, knowledge)) {
        const item = upsert(r.kind, target);
        if (fired.certainty === 'definite') item.certainty = 'definite';
        if (item.strength === undefined || strengthRank[r.strength] > strengthRank[item.strength]) item.strength = r.strength;
        const provenance: Provenance = {
          from: 'pathway',
          pathway: fired.pathway,
          step: fired.step,
          recommendation: r.id,
          strength: r.strength,
          certainty: fired.certainty,
          source: r.source,
        };
        addProvenance(item.provenance, provenance);
        const key = provenanceKey(provenance);
        if ((chosen.get(`target:${item.id}`) ?? '\uffff') > key) {
          chosen.set(`target:${item.id}`, key);
          item.target = target;
        }
        const timing = timingOf(r);
        if (timing !== undefined && (chosen.get(`timing:${item.id}`) ?? '\uffff') > key) {
          chosen.set(`timing:${item.id}`, key);
          item.timing = timing;
        }
        if (r.dose !== undefined && (chosen.get(`dose:${item.id}`) ?? '\uffff') > key) {
          chosen.set(`dose:${item.id}`, key);
          item.dose = r.dose.text;
          if (r.dose.dailyMg !== undefined && target.type === 'ingredient') item.dailyMg = r.dose.dailyMg;
        }
        for (const need of fired.needs) {
          if (!item.needs.some((n) => n.concept === need.concept && n.message === need.message)) item.needs.push(need);
        }
      }
    }

    const taking = new Set([...byId.values()].filter((i) => i.action === 'take').map((i) => i.target.id ?? ''));
    for (const item of byId.values()) {
      if (item.certainty === 'definite') item.needs = [];
      item.provenance.sort((a, b) => (provenanceKey(a) < provenanceKey(b) ? -1 : 1));
      item.needs.sort((a, b) => (`${a.concept}${a.message}` < `${b.concept}${b.message}` ? -1 : 1));
      if ((item.action === 'start' || item.action === 'continue') && (item.target.type === 'ingredient' || item.target.type === 'class')) {
        const members = item.target.type === 'ingredient' ? [item.target.id ?? ''] : [...(knowledge.classes.get(item.target.id ?? '')?.members ?? [])];
        if (members.some((m) => taking.has(m))) item.status = 'already-taking';
      }
    }
    for (const item of [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) plan.items[item.id] = castDraft(item as PlanItem);
  });
}

/** The ingredients a drug plan item stands for: its ingredient, or every member of its class. */
export function itemIngredients(item: PlanItem, knowledge: KnowledgeBase): ReadonlySet<string> {
  if (item.target.type === 'ingredient') return new Set([item.target.id ?? '']);
  if (item.target.type === 'class') return knowledge.classes.get(item.target.id ?? '')?.members ?? new Set();
  return new Set();
}
