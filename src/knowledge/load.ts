import { loadKnowledgeDocument } from '../schema/load.js';
import type { LoadIssue, LoadResult } from '../schema/issues.js';
import { compileKnowledge } from './compile.js';
import type { KnowledgeBase, KnowledgeSource } from './types.js';

/** A JSON document with the file name it came from, for messages. */
export interface JsonFile {
  /** The file name, when there is one. */
  readonly file?: string;
  /** The parsed JSON. */
  readonly json: unknown;
}

/** Validates knowledge files against the schema and compiles them into one knowledge base; every issue of every file is returned together. */
export function loadKnowledge(files: readonly JsonFile[]): LoadResult<KnowledgeBase> {
  const issues: LoadIssue[] = [];
  const sources: KnowledgeSource[] = [];
  for (const { file, json } of files) {
    const result = loadKnowledgeDocument(json, file === undefined ? {} : { file });
    if (result.ok) sources.push(file === undefined ? { document: result.value } : { document: result.value, file });
    else issues.push(...result.issues);
  }
  if (issues.length > 0) return { ok: false, issues };
  return compileKnowledge(sources);
}
