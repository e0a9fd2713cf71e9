import { bundledDefaults } from '../bundled.js';
import { runFixture, type FixtureResult } from '../pathway/fixtures.js';
import { loadPathways } from '../pathway/load.js';
import { loadFixture } from '../schema/load.js';
import { formatIssue } from '../schema/issues.js';
import { UsageError } from './files.js';
import { readWorkspace, workspaceKnowledge } from './workspace.js';

/** One fixture's outcome, with its file. */
export interface FixtureOutcome {
  /** The fixture file. */
  readonly file: string;
  /** Its title. */
  readonly title: string;
  /** The result. */
  readonly result: FixtureResult;
}

/**
 * Runs every fixture under the paths against its pathway: pathways among the paths first,
 * then the bundled ones. Invalid fixtures or pathways are usage errors, listed together.
 */
export async function runFixtureFiles(paths: readonly string[], knowledgeDirectory?: string): Promise<FixtureOutcome[]> {
  const workspace = await readWorkspace(paths);
  const problems = workspace.syntaxIssues.map(formatIssue);
  const { knowledge, issues } = await workspaceKnowledge(workspace, knowledgeDirectory);
  if (knowledge === undefined) throw new UsageError(issues.map(formatIssue).join('\n'));
  const local = loadPathways(workspace.files.get('pathway') ?? [], knowledge);
  if (!local.ok) throw new UsageError(local.issues.map(formatIssue).join('\n'));
  const byId = new Map(bundledDefaults().pathways.map((p) => [p.pathway.id, p]));
  for (const p of local.value) byId.set(p.pathway.id, p);
  const outcomes: FixtureOutcome[] = [];
  for (const { file, json } of workspace.files.get('fixture') ?? []) {
    const fixture = loadFixture(json, file === undefined ? {} : { file });
    if (!fixture.ok) {
      problems.push(...fixture.issues.map(formatIssue));
      continue;
    }
    const compiled = byId.get(fixture.value.pathway);
    if (compiled === undefined) {
      problems.push(`${file ?? '<input>'}:/pathway: no loaded pathway has the id "${fixture.value.pathway}"`);
      continue;
    }
    outcomes.push({ file: file ?? '<input>', title: fixture.value.title, result: runFixture(fixture.value, compiled, knowledge) });
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  if (outcomes.length === 0) throw new UsageError(`no fixtures found under ${paths.join(', ')}`);
  return outcomes;
}
