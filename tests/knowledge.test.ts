import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledDefaults, bundledKnowledgeFiles, bundledPathwayFiles } from '../src/bundled.js';
import { isAtcCode, isLoincCode, isRxnormId, isSnomedConceptId, verhoeffValid } from '../src/knowledge/codes.js';
import { loadKnowledge } from '../src/knowledge/load.js';
import { buildMatcher } from '../src/knowledge/matcher.js';
import { recognitionRate } from '../src/knowledge/recognition.js';
import { shortSystem } from '../src/patient/recognise.js';
import { formatIssue } from '../src/schema/issues.js';
import { clone, jsonFiles, root } from './helpers.js';

const { knowledge } = bundledDefaults();

describe('code formats', () => {
  it('accepts real SNOMED CT ids and rejects a wrong check digit or partition', () => {
    for (const code of ['13645005', '195967001', '38341003', '39113611000001102', '428041000124106']) expect(isSnomedConceptId(code)).toBe(true);
    for (const code of ['13645006', '0013645005', '12345', '13645015']) expect(isSnomedConceptId(code)).toBe(false);
    expect(verhoeffValid('2363')).toBe(true);
    expect(verhoeffValid('2364')).toBe(false);
  });
  it('checks LOINC check digits, ATC shape and RxNorm ids', () => {
    expect(['19926-5', '26449-9', '8480-6', '2823-3'].every(isLoincCode)).toBe(true);
    expect(['19926-4', '2823', 'A-1'].some(isLoincCode)).toBe(false);
    expect(isAtcCode('R03AC02')).toBe(true);
    expect(isAtcCode('R03AC')).toBe(false);
    expect(isRxnormId('435')).toBe(true);
    expect(isRxnormId('0435')).toBe(false);
  });
});

describe('the bundled knowledge base', () => {
  it('ships every file under pathways/ (nothing left out of the bundle)', () => {
    const bundled = [...bundledKnowledgeFiles, ...bundledPathwayFiles].map((f) => f.file).sort();
    const onDisk = jsonFiles('pathways').filter((f) => !f.includes('/fixtures/')).sort();
    expect(bundled).toEqual(onDisk);
  });

  it('has verified-format codes on every ingredient, condition and observation', () => {
    for (const ingredient of knowledge.ingredients.values()) {
      for (const code of ingredient.codes?.snomed ?? []) expect(isSnomedConceptId(code), `${ingredient.id} ${code}`).toBe(true);
      for (const code of ingredient.codes?.atc ?? []) expect(isAtcCode(code), `${ingredient.id} ${code}`).toBe(true);
      for (const code of ingredient.codes?.rxnorm ?? []) expect(isRxnormId(code), `${ingredient.id} ${code}`).toBe(true);
      expect(ingredient.name).toBe(ingredient.name.toLowerCase());
    }
    for (const condition of knowledge.conditions.values()) for (const code of condition.snomed ?? []) expect(isSnomedConceptId(code), `${condition.id} ${code}`).toBe(true);
    for (const observation of knowledge.observations.values()) for (const code of observation.definition.loinc ?? []) expect(isLoincCode(code), `${observation.definition.id} ${code}`).toBe(true);
  });

  it('reports a broken knowledge file with every problem at its pointer', () => {
    const files = bundledKnowledgeFiles.map((f) => ({ file: f.file, json: clone(f.json) as Record<string, unknown> }));
    const classes = files.find((f) => f.file.endsWith('classes.json'))?.json as { classes: { id: string; members?: string[]; includes?: string[]; preferences?: { condition: string; order: string[] }[] }[] };
    const laba = classes.classes.find((c) => c.id === 'laba');
    laba?.members?.push('salmeterl');
    const beta2 = classes.classes.find((c) => c.id === 'beta2-agonists');
    beta2?.includes?.push('beta2-agonists');
    const ssris = classes.classes.find((c) => c.id === 'ssris');
    const preference = ssris?.preferences?.[0];
    if (preference !== undefined) {
      preference.condition = 'coronary-heart-diseas';
      preference.order.push('mirtazapine');
    }
    const at = classes.classes.findIndex((c) => c.id === 'ssris');
    const result = loadKnowledge(files);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([
      'pathways/knowledge/classes.json:/classes/1/members/5: expected the id of an ingredient defined in the knowledge base, but found "salmeterl" (known ids like it: salmeterol)',
      `pathways/knowledge/classes.json:/classes/${at}/preferences/0/condition: expected the id of a condition defined in the knowledge base, but found "coronary-heart-diseas" (known ids like it: coronary-heart-disease)`,
      'pathways/knowledge/classes.json:/classes/2/includes: expected classes that do not include themselves, but found a cycle through "beta2-agonists"',
      `pathways/knowledge/classes.json:/classes/${at}/preferences/0/order/3: expected a member of the class "ssris", but found "mirtazapine"`,
    ]);
  });

  it('rejects a side or startOnly on advice they cannot apply to, at its pointer', () => {
    const files = bundledKnowledgeFiles.map((f) => ({ file: f.file, json: clone(f.json) as Record<string, unknown> }));
    type Rules = { management: { strategy: string; side?: string }[] }[];
    const conditionRules = (files.find((f) => f.file.endsWith('drug-condition.json'))?.json as { conditionInteractions: Rules }).conditionInteractions;
    const drugRules = (files.find((f) => f.file.endsWith('interactions-cns.json'))?.json as { drugInteractions: Rules }).drugInteractions;
    const avoidAt = conditionRules.findIndex((r) => r.management.some((m) => m.strategy === 'avoid'));
    const monitorAt = drugRules.findIndex((r) => r.management.some((m) => m.strategy === 'monitor'));
    const avoid = conditionRules[avoidAt]?.management.findIndex((m) => m.strategy === 'avoid') ?? -1;
    const monitor = drugRules[monitorAt]?.management.findIndex((m) => m.strategy === 'monitor') ?? -1;
    const avoidEntry = conditionRules[avoidAt]?.management[avoid];
    const monitorEntry = drugRules[monitorAt]?.management[monitor];
    if (avoidEntry === undefined || monitorEntry === undefined) throw new Error('the bundled knowledge has no avoid advice for a condition or monitoring advice for a pair');
    avoidEntry.side = 'a';
    monitorEntry.side = 'b';
    Object.assign(monitorEntry, { startOnly: true });
    const result = loadKnowledge(files);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([
      `pathways/knowledge/interactions-cns.json:/drugInteractions/${monitorAt}/management/${monitor}/side: expected \`side\` only on \`avoid\` or \`substitute-within-class\` advice, but found "side" on "monitor" advice`,
      `pathways/knowledge/interactions-cns.json:/drugInteractions/${monitorAt}/management/${monitor}/startOnly: expected \`startOnly\` only on \`avoid\` advice, but found "startOnly" on "monitor" advice`,
      `pathways/knowledge/drug-condition.json:/conditionInteractions/${avoidAt}/management/${avoid}/side: expected no \`side\` in a drug–condition rule, which has one drug, but found "side": "a"`,
    ]);
  });

  it("rejects a drug–condition dose limit on another ingredient than the rule's, at its pointer", () => {
    const files = bundledKnowledgeFiles.map((f) => ({ file: f.file, json: clone(f.json) as Record<string, unknown> }));
    type Rules = { id: string; doseLimit?: { ingredient: string; maxDailyMg: number } }[];
    const conditionRules = (files.find((f) => f.file.endsWith('drug-condition.json'))?.json as { conditionInteractions: Rules }).conditionInteractions;
    const at = conditionRules.findIndex((r) => r.id === 'edoxaban-creatinine-clearance-50-or-less');
    const rule = conditionRules[at];
    if (rule?.doseLimit === undefined) throw new Error('the bundled edoxaban renal rule sets no dose limit');
    rule.doseLimit.ingredient = 'apixaban';
    const result = loadKnowledge(files);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([
      `pathways/knowledge/drug-condition.json:/conditionInteractions/${at}/doseLimit/ingredient: expected a dose limit on the rule's own ingredient, but found a limit on "apixaban" for {"ingredient":"edoxaban"}`,
    ]);
  });
});

describe('the medication matcher', () => {
  const matcher = buildMatcher(knowledge);
  const read = (text: string): string[] | undefined => matcher.match([], text)?.ingredients.map((i) => i.id);

  it('reads US and UK names, brands and combination products', () => {
    expect(read('albuterol 0.21 MG/ML Inhalation Solution')).toEqual(['salbutamol']);
    expect(read('Salbutamol 100micrograms/dose inhaler CFC free')).toEqual(['salbutamol']);
    expect(read('Seretide 250 Evohaler')).toEqual(['fluticasone', 'salmeterol']);
    expect(read('Trelegy Ellipta 92micrograms/55micrograms/22micrograms/dose dry powder inhaler')).toEqual(['fluticasone', 'umeclidinium', 'vilanterol']);
    expect(read('Co-codamol 30mg/500mg tablets')).toEqual(['codeine', 'paracetamol']);
    expect(read('Acetaminophen 325 MG / oxyCODONE Hydrochloride 5 MG Oral Tablet')).toEqual(['paracetamol', 'oxycodone']);
    expect(read('Simvastatin 10 MG Oral Tablet')).toEqual(['simvastatin']);
    expect(read('Citalopram 20mg tablets')).toEqual(['citalopram']);
    expect(read('Ventolin')).toEqual(['salbutamol']);
  });

  it('parses strengths in mg, including micrograms and per-component RxNorm strengths', () => {
    expect(matcher.match([], 'Simvastatin 40 MG Oral Tablet')?.ingredients).toEqual([{ id: 'simvastatin', strengthMg: 40 }]);
    expect(matcher.match([], 'Digoxin 125micrograms tablets')?.ingredients).toEqual([{ id: 'digoxin', strengthMg: 0.125 }]);
    expect(matcher.match([], 'Acetaminophen 325 MG / oxyCODONE Hydrochloride 5 MG Oral Tablet')?.ingredients).toEqual([
      { id: 'paracetamol', strengthMg: 325 },
      { id: 'oxycodone', strengthMg: 5 },
    ]);
  });

  it('reads a one-letter misspelling of a long name and says so', () => {
    const match = matcher.match([], 'Simvistatin 10 MG');
    expect(match?.ingredients.map((i) => i.id)).toEqual(['simvastatin']);
    expect(match?.corrected).toEqual([{ written: 'simvistatin', read: 'simvastatin' }]);
  });

  it('prefers codes and says when nothing is recognised', () => {
    expect(matcher.match([{ system: 'rxnorm', code: '435' }], 'something else')?.via).toBe('code');
    expect(matcher.match([], 'Unobtainium 5mg tablets')).toBeUndefined();
  });
});

describe('code-based matching against real code data', () => {
  const data = path.join(root, '..', 'shared', 'data');
  const matcher = buildMatcher(knowledge);

  it('reads every dm+d VMP and VTM of the dm+d extract to the ingredients its VTM_INGREDIENTS file lists', () => {
    const dir = path.join(data, 'dmd-extract-2021');
    const vmp = readFileSync(path.join(dir, 'f_vmp2_3260821.xml'), 'utf8');
    const vtmIngredients = readFileSync(path.join(dir, 'VTM_INGREDIENTS', 'f_vtm_ing1_0260821.xml'), 'utf8');
    const substances = [...vtmIngredients.matchAll(/<VTMID>(\d+)<\/VTMID><ISID>(\d+)<\/ISID>/g)];
    const vmps = [...vmp.matchAll(/<VPID>(\d+)<\/VPID>\s*<VTMID>(\d+)<\/VTMID>/g)];
    expect(vmps.length).toBeGreaterThan(0);
    for (const [, vpid, vtmid] of vmps) {
      const expected = substances.filter(([, v]) => v === vtmid).map(([, , isid]) => knowledge.codes.drugByCode.get(`snomed|${isid ?? ''}`)?.[0]).sort();
      expect(expected.every((id) => id !== undefined)).toBe(true);
      expect(matcher.match([{ system: 'dmd', code: vpid ?? '' }], undefined)?.ingredients.map((i) => i.id).sort()).toEqual(expected);
      expect(matcher.match([{ system: 'dmd', code: vtmid ?? '' }], undefined)?.ingredients.map((i) => i.id).sort()).toEqual(expected);
    }
  });

  it('reads RxNorm clinical drug names of the CDS Hooks medication list for the pathway drugs, with their strengths', () => {
    const list = readFileSync(path.join(data, 'rxnorm-medication-list', 'medication-list.js'), 'utf8');
    const entries = [...list.matchAll(/^\s*(\d+): '([^']+)',$/gm)].map(([, cui, name]) => ({ cui: cui ?? '', name: name ?? '' }));
    expect(entries.length).toBeGreaterThan(1000);
    for (const drug of ['simvastatin', 'atorvastatin', 'citalopram', 'sertraline', 'clopidogrel', 'theophylline', 'lisinopril', 'amlodipine', 'furosemide', 'digoxin']) {
      const named = entries.filter((e) => new RegExp(`^${drug} \\d+(\\.\\d+)? MG( Oral Tablet| Oral Capsule)?$`, 'i').test(e.name));
      expect(named.length, drug).toBeGreaterThan(0);
      for (const e of named) {
        const match = matcher.match([{ system: 'rxnorm', code: e.cui }], e.name);
        expect(match?.ingredients.map((i) => i.id), e.name).toEqual([drug]);
        expect(match?.ingredients[0]?.strengthMg, e.name).toBe(Number(/(\d+(?:\.\d+)?) MG/i.exec(e.name)?.[1]));
      }
    }
  });

  it('recognises at least 95% of the distinct medications in the Synthea and NHS EPS sample data', () => {
    const samples: { codes: { system: string; code: string }[]; text?: string }[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value !== null && typeof value === 'object') {
        const r = value as Record<string, unknown>;
        const cc = r['medicationCodeableConcept'] as { coding?: { system?: string; code?: string; display?: string }[]; text?: string } | undefined;
        if (typeof r['resourceType'] === 'string' && r['resourceType'].startsWith('Medication') && cc !== undefined) {
          const text = cc.text ?? cc.coding?.[0]?.display;
          samples.push({ codes: (cc.coding ?? []).map((c) => ({ system: shortSystem(c.system), code: c.code ?? '' })), ...(text === undefined ? {} : { text }) });
        }
        Object.values(r).forEach(visit);
      }
    };
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []));
    for (const f of [...files(path.join(data, 'synthea-r4-bundles')), ...files(path.join(data, 'nhs-eps-dmd-examples'))]) visit(JSON.parse(readFileSync(f, 'utf8')));
    for (const line of readFileSync(path.join(data, 'synthea-bulk-10', 'MedicationRequest.000.ndjson'), 'utf8').split('\n')) if (line.trim() !== '') visit(JSON.parse(line));
    const rate = recognitionRate(samples, matcher);
    expect(rate.distinct).toBeGreaterThan(80);
    expect(rate.recognised / rate.distinct).toBeGreaterThanOrEqual(0.95);
  });
});
