import type { KnowledgeBase } from '../knowledge/types.js';
import type { JsonFile } from '../knowledge/load.js';
import { loadPathway } from '../schema/load.js';
import type { LoadIssue, LoadResult } from '../schema/issues.js';
import { compilePathway, type CompiledPathway } from './graph.js';

/** Validates and compiles pathway files against a knowledge base; ids must be unique. Every issue is returned together. */
export function loadPathways(files: readonly JsonFile[], knowledge: KnowledgeBase): LoadResult<readonly CompiledPathway[]> {
  const issues: LoadIssue[] = [];
  const compiled: CompiledPathway[] = [];
  const seen = new Map<string, string>();
  for (const { file, json } of files) {
    const options = file === undefined ? {} : { file };
    const loaded = loadPathway(json, options);
    if (!loaded.ok) {
      issues.push(...loaded.issues);
      continue;
    }
    const first = seen.get(loaded.value.id);
    if (first !== undefined) {
      issues.push({ code: 'CP_DUPLICATE_ID', ...options, pointer: '/id', expected: 'a pathway id not used by another loaded pathway', found: `"${loaded.value.id}"`, message: `expected a pathway id not used by another loaded pathway, but found "${loaded.value.id}" (also in ${first})` });
      continue;
    }
    seen.set(loaded.value.id, file ?? '<input>');
    const result = compilePathway(loaded.value, knowledge, options);
    if (result.ok) compiled.push(result.value);
    else issues.push(...result.issues);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: compiled };
}
