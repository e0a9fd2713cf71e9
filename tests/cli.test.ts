import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport } from '../src/schema/generated/report.js';
import { validateReport } from '../src/schema/load.js';
import { readJson, root } from './helpers.js';

/** Runs the built CLI as a user would. */
function carepath(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return carepathWithInput('', ...args);
}

/** Runs the built CLI with this text on its standard input. */
function carepathWithInput(input: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'carepath.js'), ...args], { cwd: root, encoding: 'utf8', input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function brokenCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'carepath-'));
  const copd = readJson('pathways/copd.json') as { steps: { id: string; when?: unknown }[] };
  const smoking = copd.steps.find((s) => s.id === 'smoking');
  if (smoking !== undefined) smoking.when = { kind: 'condition', concept: 'curent-smoker' };
  const file = path.join(dir, 'copd.json');
  writeFileSync(file, JSON.stringify(copd, null, 2));
  return file;
}

describe('carepath lint', () => {
  it('exits 0 with no findings on the shipped pathways, knowledge and fixtures', () => {
    const result = carepath('lint', 'pathways');
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('no findings\n');
    expect(result.status).toBe(0);
  });

  it('exits 1 with file:pointer: message lines on a broken copy', () => {
    const file = brokenCopy();
    const result = carepath('lint', file);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(`${file}:/steps/1/when/concept: error CP_UNKNOWN_REFERENCE expected a condition defined in the knowledge base, but found "curent-smoker" (did you mean "current-smoker"?)\n`);
  });

  it('writes findings as JSON for editors and CI', () => {
    const file = brokenCopy();
    const result = carepath('lint', '--format', 'json', file);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([
      { code: 'CP_UNKNOWN_REFERENCE', severity: 'error', file, pointer: '/steps/1/when/concept', message: 'expected a condition defined in the knowledge base, but found "curent-smoker" (did you mean "current-smoker"?)' },
    ]);
  });

  it('names a JSON file in a folder that links to nothing, rather than stopping with a stack trace', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'carepath-'));
    copyFileSync(path.join(root, 'pathways', 'copd.json'), path.join(dir, 'copd.json'));
    symlinkSync(path.join(dir, 'moved-away.json'), path.join(dir, 'broken.json'));
    const result = carepath('lint', dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`carepath: no such file or directory: ${path.join(dir, 'broken.json')}\n`);
  });

  it('exits 2 on usage errors', () => {
    expect(carepath('lint', 'no/such/file.json').status).toBe(2);
    expect(carepath('lint', '--format', 'yaml', 'pathways').status).toBe(2);
    expect(carepath('lint').status).toBe(2);
  });
});

describe('carepath graph', () => {
  it('writes DOT, Mermaid and SVG naming every step', () => {
    const copd = readJson('pathways/copd.json') as { steps: { id: string }[] };
    const dot = carepath('graph', 'pathways/copd.json');
    expect(dot.status).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "copd" \{/);
    const mermaid = carepath('graph', 'pathways/copd.json', '--format', 'mermaid');
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'carepath-')), 'copd.svg');
    const svg = carepath('graph', 'pathways/copd.json', '--format', 'svg', '-o', out);
    expect(svg.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('<svg');
    for (const step of copd.steps) {
      const node = `step_${step.id.replace(/-/g, '_')}`;
      expect(dot.stdout).toContain(node);
      expect(mermaid.stdout).toContain(node);
      expect(text).toContain(`<title>${node}</title>`);
    }
  });

  it('exits 2 with the schema issues when the file is not a valid pathway', () => {
    const result = carepath('graph', brokenCopy().replace('copd.json', 'missing.json'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^carepath: no such file or directory/);
  });

  it('exits 2 with a clear message when the output file cannot be written', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'carepath-')), 'no-such-folder', 'copd.dot');
    const result = carepath('graph', 'pathways/copd.json', '-o', out);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`carepath: cannot write ${out}: ENOENT: no such file or directory, open '${out}'\n`);
  });
});

describe('carepath test-pathway', () => {
  it('runs the shipped fixtures and passes them all', () => {
    const result = carepath('test-pathway');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('pass')).length).toBeGreaterThanOrEqual(8);
    expect(result.stderr).toMatch(/^\d+ passed, 0 failed\n$/);
  });
});

describe('carepath check', () => {
  it('prints a JSON report that follows the report contract for a native patient', () => {
    const result = carepath('check', 'examples/copd-ihd-af-depression.json', '--as-of', '2026-11-24', '--format', 'json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(validateReport(report).ok).toBe(true);
    expect(report.asOf).toBe('2026-11-24');
    for (const conflict of report.conflicts) {
      expect(['drug-drug', 'drug-condition', 'contradiction', 'duplicate', 'dose', 'burden']).toContain(conflict.kind);
      for (const p of conflict.participants.filter((x) => x.type === 'medication')) expect(p.name).toBe(p.name.toLowerCase());
    }
    expect(report.conflicts.find((c) => c.participants.map((p) => p.name).sort().join('+') === 'azithromycin+citalopram')?.severity).toBe('contraindicated');
    expect(report.burden.medicines).toBeGreaterThanOrEqual(10);
  });

  it('reads a FHIR Bundle and lists every medicine it did not recognise, with its text as written', () => {
    const result = carepath('check', 'examples/depression-ihd-bleeding.fhir.json', '--as-of', '2026-11-24', '--format', 'json');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as CheckReport;
    expect(report.dataQuality.filter((n) => n.code === 'unrecognised-medication').map((n) => [n.location, n.text])).toEqual([['MedicationRequest/m9', "Devil's claw root 480mg tablets"]]);
    expect(report.dataQuality.map((n) => n.code)).toContain('medication-on-hold');
  });

  it('reads the patient from standard input for -, and names it so in messages', () => {
    const bundle = readFileSync(path.join(root, 'examples', 'post-mi-clopidogrel.fhir.json'), 'utf8');
    const fromFile = carepath('check', 'examples/post-mi-clopidogrel.fhir.json', '--as-of', '2026-11-24', '--format', 'json');
    const piped = carepathWithInput(bundle, 'check', '-', '--as-of', '2026-11-24', '--format', 'json');
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(fromFile.stdout);
    const broken = carepathWithInput('{"resourceType": "Bundle",', 'check', '-');
    expect(broken.status).toBe(2);
    expect(broken.stderr).toBe('carepath: standard input:/: expected valid JSON, but found the end of the text at line 1, column 27\n');
  });

  it('reads files as Windows tools save them: UTF-8 with a byte order mark, and UTF-16 either way round', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'carepath-'));
    const text = `\uFEFF${readFileSync(path.join(root, 'examples', 'copd-ihd-af-depression.json'), 'utf8')}`;
    const littleEndian = Buffer.from(text, 'utf16le');
    const encodings = { 'utf-8': Buffer.from(text, 'utf8'), 'utf-16le': littleEndian, 'utf-16be': Buffer.from(littleEndian).swap16() };
    const expected = carepath('check', 'examples/copd-ihd-af-depression.json', '--as-of', '2026-11-24', '--format', 'json').stdout;
    for (const [encoding, bytes] of Object.entries(encodings)) {
      const file = path.join(dir, `${encoding}.json`);
      writeFileSync(file, bytes);
      const result = carepath('check', file, '--as-of', '2026-11-24', '--format', 'json');
      expect(result.stderr, encoding).toBe('');
      expect(result.stdout, encoding).toBe(expected);
    }
  });

  it('renders text and Markdown a clinician can read, most severe first', () => {
    const text = carepath('check', 'examples/post-mi-clopidogrel.fhir.json', '--as-of', '2026-11-24');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^carepath check: patient post-mi-clopidogrel\n/);
    expect(text.stdout).toMatch(/\n {1}1\. \[CONTRAINDICATED\] drug-drug: citalopram \+ clarithromycin\n/);
    expect(text.stdout).toContain('Switch omeprazole to lansoprazole');
    // The summary: options for definite conflicts only (the possible bradycardia with bisoprolol,
    // #8, waits for a heart rate), each once with the conflicts it is best for.
    expect(text.stdout).toContain(
      [
        '\nAT A GLANCE',
        '7 definite conflicts (1 contraindicated, 2 severe, 4 moderate); 8 possible conflicts, which hinge on missing data.',
        'Verified best options for the definite conflicts (each re-checked on its own), with the conflicts each is best for:',
        '  - Stop clarithromycin (#1, #2)',
        '  - Switch omeprazole to lansoprazole (another proton pump inhibitor (PPI)) (#3)',
        '  - Keep atorvastatin at no more than 20 mg a day (#4)',
        '  - Monitor serum sodium: In mild hyponatraemia (125-133 mmol/L), keep monitoring sodium and… (#5)',
        'Definite conflicts with no verified option, for clinical judgement: #6, #7.',
        'Of these, already mitigated in the plan: #6, #7.',
        'Missing data behind the possible conflicts:',
      ].join('\n'),
    );
    expect(text.stdout).toContain('  - no heart rate in the last 3 months (1 conflict)\n');
    expect(text.stdout).toMatch(/\n 8\. \[SEVERE\] drug-condition: bisoprolol \+ bradycardia .*\(possible\)\n/);
    expect(text.stdout.slice(0, text.stdout.indexOf('\nCONFLICTS ('))).not.toContain('Stop bisoprolol');
    const markdown = carepath('check', 'examples/post-mi-clopidogrel.fhir.json', '--as-of', '2026-11-24', '--format', 'markdown');
    expect(markdown.stdout).toMatch(/^# carepath check: patient post-mi-clopidogrel\n/);
    expect(markdown.stdout).toContain('\n## Conflicts (');
    expect(markdown.stdout).toContain('\n## At a glance\n7 definite conflicts (1 contraindicated, 2 severe, 4 moderate); 8 possible conflicts, which hinge on missing data.\n\nVerified best options for the definite conflicts (each re-checked on its own), with the conflicts each is best for:\n\n- Stop clarithromycin (#1, #2)\n');
  });

  it('tells the conflicts left for judgement that the plan already mitigates from those it does not', () => {
    const text = carepath('check', 'examples/copd-ihd-af-depression.json', '--as-of', '2026-11-24').stdout;
    expect(text).toContain('\nDefinite conflicts with no verified option, for clinical judgement: #9, #13, #14, #15, #16, #17.\nOf these, already mitigated in the plan: #14, #15, #16, #17.\n');
    expect(text).toMatch(/\n 9\. \[MODERATE\] drug-drug: apixaban \+ aspirin\n.*\n {4}No verified option: needs clinical judgement\.\n/);
    expect(text).toMatch(/\n14\. \[MODERATE\] drug-drug: aspirin \+ citalopram \(mitigated\)\n.*\n {4}No verified option beyond the mitigation already in the plan: needs clinical judgement\.\n/);
  });

  it('words each plan item once, without repeating its action or naming lifestyle as one', () => {
    const text = carepath('check', 'examples/copd-ihd-af-depression.json', '--as-of', '2026-11-24').stdout;
    const plan = text.slice(text.indexOf('\nPLAN\n'), text.indexOf('\nUNKNOWN'));
    expect(plan).toContain('\n  - review of triple therapy: document why it continues (offer, every 1 year) — copd NG115 1.2.14–1.2.18\n');
    expect(plan).toContain('\nLifestyle and activities:\n');
    expect(plan).toContain('\n  - influenza vaccination (offer, every 1 year) — copd NG115 1.2 Vaccination\n');
    expect(plan).toContain('\n  - monitor FEV1 and FVC (offer, every 1 year)');
    expect(plan.split('\n').filter((line) => /^ {2}- (\w+) \1\b/i.test(line))).toEqual([]);
  });

  it('nests each conflict\'s details in Markdown, indented to the conflict\'s text, so each renders on its own line', () => {
    const markdown = carepath('check', 'examples/copd-ihd-af-depression.json', '--as-of', '2026-11-24', '--format', 'markdown').stdout;
    const conflicts = markdown.slice(markdown.indexOf('\n## Conflicts'), markdown.indexOf('\n## Plan'));
    expect(conflicts).toContain('\n1. **CONTRAINDICATED** drug-drug: azithromycin + citalopram\n   - azithromycin with citalopram: ');
    expect(conflicts).toContain('\n   - Best option (verified, resolved): Stop azithromycin\n   - Other options: Stop citalopram | ');
    // Past nine the marker is a character wider, and so is the indent CommonMark needs to nest.
    expect(conflicts).toContain('\n19. **MILD** drug-drug: furosemide + ramipril\n    - furosemide with ramipril: ');
    // Every line under a numbered conflict is one of its nested details.
    const details = conflicts.split('\n').filter((line) => line.startsWith(' '));
    expect(details.length).toBeGreaterThan(31 * 3);
    for (const line of details) expect(line).toMatch(/^ {3,4}- \S/);
  });

  it('shows text from the record literally, so it can neither format a Markdown note, put HTML in it nor send a terminal escape', () => {
    const written = '<img src=x onerror=alert(1)> *magic*\n# Heading [link](javascript:alert(1))\u001b[31m';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'carepath-')), 'hostile.json');
    writeFileSync(
      file,
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          { resource: { resourceType: 'Patient', id: 'p<b>1</b>', gender: 'female', birthDate: '1950-01-01' } },
          { resource: { resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', medicationCodeableConcept: { text: written } } },
        ],
      }),
    );
    const markdown = carepath('check', file, '--as-of', '2026-11-24', '--format', 'markdown');
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toMatch(/^# carepath check: patient p\\<b\\>1\\<\/b\\>\n/);
    expect(markdown.stdout).toContain('- unrecognised-medication at MedicationRequest/m1 "\\<img src=x onerror=alert(1)\\> \\*magic\\* \\# Heading \\[link\\](javascript:alert(1))\\\\u001b\\[31m": ');
    // No tag opens but an escaped one, and the line break in the text starts no heading.
    expect(markdown.stdout).not.toMatch(/(?<!\\)<(img|b>)|\n# Heading/);
    const text = carepath('check', file, '--as-of', '2026-11-24');
    expect(text.stdout).toContain('  - unrecognised-medication at MedicationRequest/m1 "<img src=x onerror=alert(1)> *magic* # Heading [link](javascript:alert(1))\\u001b[31m": ');
    expect(`${markdown.stdout}${text.stdout}`).not.toContain('\u001b');
    // The JSON report keeps the text as written.
    const report = JSON.parse(carepath('check', file, '--as-of', '2026-11-24', '--format', 'json').stdout) as CheckReport;
    expect(report.dataQuality.find((n) => n.code === 'unrecognised-medication')?.text).toBe(written);
  });

  it('stops quietly when the reader of its output has gone, as `carepath check … | head` leaves it', async () => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'carepath.js'), 'check', 'examples/copd-ihd-af-depression.json', '--as-of', '2026-11-24'], { cwd: root });
    // Closed before the report is written, so its write meets a pipe with no reader (EPIPE).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [status] = (await once(child, 'close')) as [number | null];
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('exits 2 with a clear message on unreadable input', () => {
    const missing = carepath('check', 'examples/no-such-patient.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^carepath: cannot read examples\/no-such-patient\.json/);
    const dir = mkdtempSync(path.join(tmpdir(), 'carepath-'));
    writeFileSync(path.join(dir, 'broken.json'), '{ "id": "p", ');
    const broken = carepath('check', path.join(dir, 'broken.json'));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('expected valid JSON, but found the end of the text at line 1');
    writeFileSync(path.join(dir, 'list.json'), '[1, 2]');
    const list = carepath('check', path.join(dir, 'list.json'));
    expect(list.status).toBe(2);
    expect(list.stderr).toContain('expected a JSON object: a FHIR Bundle or a carepath patient, but found an array');
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ id: 'p', medications: [{ text: 'x', status: 'taking' }] }));
    const bad = carepath('check', path.join(dir, 'bad.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('/medications/0/status: expected one of "active"');
    expect(carepath('check', 'examples/copd-ihd-af-depression.json', '--as-of', '24/11/2026').status).toBe(2);
    const impossible = carepath('check', 'examples/copd-ihd-af-depression.json', '--as-of', '2026-02-30');
    expect(impossible.status).toBe(2);
    expect(impossible.stderr).toBe('carepath: --as-of must be a real date as YYYY-MM-DD, not "2026-02-30"\n');
  });
});

describe('the built package', () => {
  it('exports createEngine from both its ESM and CommonJS builds, as the README shows', () => {
    const patient = JSON.stringify({ id: 'p', medications: [{ text: 'Citalopram 20mg tablets', status: 'active' }, { text: 'Azithromycin 250mg tablets', status: 'active' }] });
    const esm = spawnSync(process.execPath, ['--input-type=module', '-e', `import { createEngine } from './dist/index.js'; const r = createEngine().check(${patient}, { asOf: '2026-11-24' }); console.log(r.conflicts[0].severity);`], { cwd: root, encoding: 'utf8' });
    expect(esm.stdout.trim()).toBe('contraindicated');
    const cjs = spawnSync(process.execPath, ['-e', `const { createEngine } = require('./dist/index.cjs'); console.log(createEngine().check(${patient}, { asOf: '2026-11-24' }).conflicts[0].severity);`], { cwd: root, encoding: 'utf8' });
    expect(cjs.stdout.trim()).toBe('contraindicated');
  });
});
