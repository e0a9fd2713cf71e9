import { lintKnowledge, lintPathway, issuesAsFindings, type LintFinding } from '../pathway/lint.js';
import { loadFixture, loadPathway } from '../schema/load.js';
import { bundledDefaults } from '../bundled.js';
import { readWorkspace, workspaceKnowledge } from './workspace.js';

/** Lints every pathway, knowledge and fixture file under the paths; returns all findings, in file order. */
export async function lintPaths(paths: readonly string[], knowledgeDirectory?: string): Promise<LintFinding[]> {
  const workspace = await readWorkspace(paths);
  const findings: LintFinding[] = issuesAsFindings(workspace.syntaxIssues);
  const { knowledge, issues } = await workspaceKnowledge(workspace, knowledgeDirectory);
  findings.push(...issuesAsFindings(issues));
  if (knowledge !== undefined && (workspace.files.get('knowledge') ?? []).length > 0) findings.push(...lintKnowledge(knowledge));
  const pathwayIds = new Set(bundledDefaults().pathways.map((p) => p.pathway.id));
  for (const { file, json } of workspace.files.get('pathway') ?? []) {
    const options = file === undefined ? {} : { file };
    const loaded = loadPathway(json, options);
    if (!loaded.ok) {
      findings.push(...issuesAsFindings(loaded.issues));
      continue;
    }
    pathwayIds.add(loaded.value.id);
    if (knowledge !== undefined) findings.push(...lintPathway(loaded.value, knowledge, options));
  }
  for (const { file, json } of workspace.files.get('fixture') ?? []) {
    const loaded = loadFixture(json, file === undefined ? {} : { file });
    if (!loaded.ok) findings.push(...issuesAsFindings(loaded.issues));
    else if (!pathwayIds.has(loaded.value.pathway)) {
      findings.push({ code: 'CP_UNKNOWN_REFERENCE', severity: 'error', ...(file === undefined ? {} : { file }), pointer: '/pathway', message: `expected the id of a loaded pathway (${[...pathwayIds].join(', ')}), but found "${loaded.value.pathway}"` });
    }
  }
  return findings.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? ''));
}

/** Formats a finding as `file:pointer: severity CODE message`. */
export function formatFinding(finding: LintFinding): string {
  return `${finding.file ?? '<input>'}:${finding.pointer === '' ? '/' : finding.pointer}: ${finding.severity} ${finding.code} ${finding.message}`;
}
