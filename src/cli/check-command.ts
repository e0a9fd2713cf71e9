import { createEngine, type Engine } from '../engine.js';
import { asOfDate } from '../pathway/view.js';
import { PatientInputError } from '../patient/read.js';
import { renderText, type TextFormat } from '../report/text.js';
import { formatIssue } from '../schema/issues.js';
import { UsageError, fileLabel, readJsonFile, usageErrorFrom } from './files.js';
import { readWorkspace } from './workspace.js';

/** The output formats of `carepath check`. */
export type CheckFormat = 'json' | TextFormat;

/** Builds the engine: bundled, or from a folder of pathways (and its knowledge/ files). */
async function engineFor(pathwaysDirectory: string | undefined): Promise<Engine> {
  if (pathwaysDirectory === undefined) return createEngine();
  const workspace = await readWorkspace([pathwaysDirectory]);
  if (workspace.syntaxIssues.length > 0) throw new UsageError(workspace.syntaxIssues.map(formatIssue).join('\n'));
  const knowledge = workspace.files.get('knowledge');
  try {
    return createEngine({ pathways: workspace.files.get('pathway') ?? [], ...(knowledge === undefined ? {} : { knowledge }) });
  } catch (error) {
    throw usageErrorFrom('', error);
  }
}

/** Checks the patient in `file` (native or FHIR Bundle, detected; `-` reads standard input) and renders the report. */
export async function checkFile(file: string, format: CheckFormat, asOf: string | undefined, pathwaysDirectory?: string): Promise<string> {
  if (asOf !== undefined && asOfDate(asOf) === undefined) throw new UsageError(`--as-of must be a real date as YYYY-MM-DD, not "${asOf}"`);
  const parsed = await readJsonFile(file);
  if (!parsed.ok) throw new UsageError(parsed.issues.map(formatIssue).join('\n'));
  const engine = await engineFor(pathwaysDirectory);
  try {
    const report = engine.check(parsed.value, { file: fileLabel(file), ...(asOf === undefined ? {} : { asOf }) });
    return format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, format);
  } catch (error) {
    if (error instanceof PatientInputError) throw new UsageError(`${fileLabel(file)} is not a patient carepath can read:\n${error.issues.map(formatIssue).join('\n')}`, { cause: error });
    throw error;
  }
}
