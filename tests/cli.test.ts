import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson, root } from './helpers.js';

/** Runs the built CLI as a user would. */
function carepath(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'carepath.js'), ...args], { cwd: root, encoding: 'utf8' });
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
});

describe('carepath test-pathway', () => {
  it('runs the shipped fixtures and passes them all', () => {
    const result = carepath('test-pathway');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('pass')).length).toBeGreaterThanOrEqual(8);
    expect(result.stderr).toMatch(/^\d+ passed, 0 failed\n$/);
  });
});
