import { toDot, toMermaid, toSvg } from '../pathway/draw.js';
import { loadPathway } from '../schema/load.js';
import { formatIssue } from '../schema/issues.js';
import { UsageError } from './files.js';
import { readWorkspace, workspaceKnowledge } from './workspace.js';

/** The drawing formats `carepath graph` writes. */
export type GraphFormat = 'dot' | 'mermaid' | 'svg';

/** Draws the pathway in `file` in the given format; invalid input is a usage error with every issue listed. */
export async function drawPathwayFile(file: string, format: GraphFormat, knowledgeDirectory?: string): Promise<string> {
  const workspace = await readWorkspace([file]);
  if (workspace.syntaxIssues.length > 0) throw new UsageError(workspace.syntaxIssues.map(formatIssue).join('\n'));
  const json = workspace.files.get('pathway')?.[0]?.json;
  if (json === undefined) throw new UsageError(`${file} is not a pathway`);
  const pathway = loadPathway(json, { file });
  if (!pathway.ok) throw new UsageError(pathway.issues.map(formatIssue).join('\n'));
  const { knowledge, issues } = await workspaceKnowledge(workspace, knowledgeDirectory);
  if (knowledge === undefined) throw new UsageError(issues.map(formatIssue).join('\n'));
  switch (format) {
    case 'dot':
      return toDot(pathway.value, knowledge);
    case 'mermaid':
      return toMermaid(pathway.value, knowledge);
    case 'svg':
      return toSvg(pathway.value, knowledge);
  }
}
