import { bundledDefaults } from '../bundled.js';
import { loadKnowledge, type JsonFile } from '../knowledge/load.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { LoadIssue } from '../schema/issues.js';
import { documentKind, jsonFilesUnder, readJsonFile, type DocumentKind } from './files.js';

/** The files a command was given, read and sorted by kind; JSON syntax errors kept as issues. */
export interface Workspace {
  /** Parsed files by kind. */
  readonly files: ReadonlyMap<DocumentKind, readonly JsonFile[]>;
  /** Files that are not valid JSON. */
  readonly syntaxIssues: readonly LoadIssue[];
}

/** Reads every JSON file under the given paths and sorts them by kind. */
export async function readWorkspace(paths: readonly string[]): Promise<Workspace> {
  const files = new Map<DocumentKind, JsonFile[]>();
  const syntaxIssues: LoadIssue[] = [];
  for (const file of await jsonFilesUnder(paths)) {
    const parsed = await readJsonFile(file);
    if (!parsed.ok) {
      syntaxIssues.push(...parsed.issues);
      continue;
    }
    const kind = documentKind(file, parsed.value);
    files.set(kind, [...(files.get(kind) ?? []), { file, json: parsed.value }]);
  }
  return { files, syntaxIssues };
}

/**
 * The knowledge base a command works against: the knowledge files among its inputs (plus any
 * `--knowledge` folder) when there are some, otherwise the bundled knowledge base.
 */
export async function workspaceKnowledge(workspace: Workspace, extraDirectory?: string): Promise<{ knowledge?: KnowledgeBase; issues: readonly LoadIssue[] }> {
  const extra = extraDirectory === undefined ? [] : ((await readWorkspace([extraDirectory])).files.get('knowledge') ?? []);
  const files = [...(workspace.files.get('knowledge') ?? []), ...extra];
  if (files.length === 0) return { knowledge: bundledDefaults().knowledge, issues: [] };
  const loaded = loadKnowledge(files);
  return loaded.ok ? { knowledge: loaded.value, issues: [] } : { issues: loaded.issues };
}
