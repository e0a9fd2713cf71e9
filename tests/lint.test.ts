import { describe, expect, it } from 'vitest';
import { bundledDefaults } from '../src/bundled.js';
import { formatFinding } from '../src/cli/lint-command.js';
import { issuesAsFindings, lintPathway, type LintFinding } from '../src/pathway/lint.js';
import type { Pathway } from '../src/schema/generated/pathway.js';
import { loadPathway } from '../src/schema/load.js';
import { clone, readJson } from './helpers.js';

const { knowledge } = bundledDefaults();
const FILE = 'pathways/copd.json';

/** Lints a (possibly broken) pathway document the way `carepath lint` does, returning the formatted lines. */
function lint(document: unknown): string[] {
  const loaded = loadPathway(document, { file: FILE });
  const findings: LintFinding[] = loaded.ok ? lintPathway(loaded.value, knowledge, { file: FILE }) : issuesAsFindings(loaded.issues);
  return findings.map(formatFinding);
}

/** A copy of the real COPD pathway, broken by `change`. */
function broken(change: (p: Pathway & Record<string, unknown>) => void): unknown {
  const copy = clone(readJson(FILE)) as Pathway & Record<string, unknown>;
  change(copy);
  return copy;
}

function step(p: Pathway, id: string): NonNullable<Pathway['steps'][number]> {
  const find = (steps: Pathway['steps']): Pathway['steps'][number] | undefined => {
    for (const s of steps) {
      if (s.id === id) return s;
      const inner = find(s.children ?? []);
      if (inner !== undefined) return inner;
    }
    return undefined;
  };
  const found = find(p.steps);
  if (found === undefined) throw new Error(`no step ${id}`);
  return found;
}

describe('lint on the shipped COPD pathway', () => {
  it('finds nothing', () => {
    expect(lint(readJson(FILE))).toEqual([]);
  });
});

describe('lint messages on broken copies of the COPD pathway (golden)', () => {
  it('a mistyped predicate kind names the accepted kinds and the likely one', () => {
    expect(lint(broken((p) => Object.assign(step(p, 'smoking').when ?? {}, { kind: 'conditon' })))).toEqual([
      'pathways/copd.json:/steps/1/when/kind: error CP_SCHEMA expected "kind" to be one of "all", "any", "not", "condition", "on-drug", "allergy", "observation", "observation-recorded", "age", "sex", "event-count", but found "conditon" (did you mean "condition"?)',
    ]);
  });

  it('a recommendation without a source URL says what the source needs', () => {
    expect(lint(broken((p) => { delete (step(p, 'vaccination').recommendations?.[0]?.source as { url?: string }).url; }))).toEqual([
      'pathways/copd.json:/steps/2/recommendations/0/source: error CP_SCHEMA expected required property "url", but found no such property (An https URL of the source text (canonical nice.org.uk, gov.uk or medicines.org.uk path where one exists).)',
    ]);
  });

  it('a misspelt property is named with the properties allowed there', () => {
    expect(lint(broken((p) => {
      const s = step(p, 'vaccination') as unknown as Record<string, unknown>;
      s['recomendations'] = s['recommendations'];
      delete s['recommendations'];
    }))).toEqual([
      'pathways/copd.json:/steps/2/recomendations: error CP_SCHEMA expected one of the properties "id", "title", "when", "recommendations", "children", "exclusive", "note", but found unknown property "recomendations" (did you mean "recommendations"?)',
    ]);
  });

  it('a drug reference with both an ingredient and a class is one root cause, not a cascade', () => {
    expect(lint(broken((p) => { step(p, 'on-azithromycin').when = { kind: 'on-drug', drug: { ingredient: 'azithromycin', class: 'macrolides' } as never }; }))).toEqual([
      'pathways/copd.json:/steps/11/when/drug: error CP_SCHEMA expected exactly one of: IngredientRef {"ingredient"} | ClassRef {"class"}, but found an object with "ingredient", "class"',
    ]);
  });

  it('an unknown ingredient suggests the likely one', () => {
    expect(lint(broken((p) => { step(p, 'on-azithromycin').when = { kind: 'on-drug', drug: { ingredient: 'azithromicin' } }; }))).toEqual([
      'pathways/copd.json:/steps/11/when/drug/ingredient: error CP_UNKNOWN_REFERENCE expected an ingredient defined in the knowledge base, but found "azithromicin" (did you mean "azithromycin"?)',
    ]);
  });

  it('a threshold in a unit the observation cannot convert from', () => {
    expect(lint(broken((p) => {
      const w = step(p, 'pulmonary-rehabilitation').when;
      if (w?.kind === 'observation') w.unit = 'mmHg';
    }))).toEqual([
      'pathways/copd.json:/steps/5/when/unit: error CP_BAD_UNIT expected a unit of MRC dyspnoea grade: "{grade}", "{score}", "1", but found "mmHg"',
    ]);
  });

  it('a duplicate step id points at the second one', () => {
    expect(lint(broken((p) => { step(p, 'self-management').id = 'vaccination'; }))).toEqual([
      'pathways/copd.json:/steps/3/id: error CP_DUPLICATE_STEP_ID step id "vaccination" is already used at /steps/2; step ids must be unique within a pathway',
    ]);
  });

  it('an exclusive child after an unconditional sibling is unreachable', () => {
    expect(lint(broken((p) => { step(p, 'reviews').children?.reverse(); }))).toEqual([
      'pathways/copd.json:/steps/15/children/1: error CP_UNREACHABLE_STEP step "very-severe-review" is unreachable: an earlier exclusive sibling has no "when", so it always applies first',
    ]);
  });

  it('a step whose condition contradicts its parent can never apply', () => {
    expect(lint(broken((p) => {
      const s = step(p, 'smoker-no-home-oxygen');
      s.when = { kind: 'all', of: [{ kind: 'condition', concept: 'current-smoker' }, { kind: 'not', predicate: { kind: 'condition', concept: 'current-smoker' } }] };
    }))).toEqual([
      'pathways/copd.json:/steps/14/children/0/when: error CP_NEVER_TRUE step "smoker-no-home-oxygen" can never apply: its "when" contradicts the conditions that lead to it',
    ]);
  });

  it('two steps that can apply together while one starts and the other avoids a drug', () => {
    expect(lint(broken((p) => {
      step(p, 'vaccination').recommendations?.push({
        id: 'avoid-macrolides',
        kind: 'avoid',
        target: { type: 'class', class: 'macrolides' },
        strength: 'do-not-offer',
        rationale: 'A deliberately contradictory recommendation.',
        source: { guideline: 'NG115', section: '1.2', url: 'https://www.nice.org.uk/guidance/ng115/chapter/Recommendations' },
      });
    }))).toEqual([
      'pathways/copd.json:/steps/2/recommendations/2: error CP_CONTRADICTORY_STEPS "avoid-macrolides" (avoid macrolide antibiotic) can apply together with "consider-azithromycin" at /steps/10/recommendations/0 (start azithromycin); they overlap on azithromycin. Make their conditions exclusive or drop one',
    ]);
  });
});
