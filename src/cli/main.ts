import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { version } from '../version.js';
import { checkFile, type CheckFormat } from './check-command.js';
import { UsageError, usageErrorFrom } from './files.js';
import { drawPathwayFile, type GraphFormat } from './graph-command.js';
import { formatFinding, lintPaths } from './lint-command.js';
import { runFixtureFiles } from './test-command.js';

/** Exit codes: 0 success, 1 findings or failures, 2 usage errors. */
const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** Writes a command's output to a file; one that cannot be written (no such folder, no permission) is a usage error. */
async function writeOutput(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw usageErrorFrom(`cannot write ${file}: `, error);
  }
}

function buildProgram(): Command {
  const program = new Command('carepath')
    .description('Checks the combined care of people with several long-term conditions against NICE pathways.')
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('check')
    .description('Check one patient (carepath JSON or a FHIR R4 Bundle): merged plan, conflicts with verified resolutions, unknowns.')
    .argument('<file>', 'the patient file, or - to read it from standard input')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'json']).default('text'))
    .option('--as-of <date>', 'check date (YYYY-MM-DD); defaults to today')
    .option('--pathways <dir>', 'use the pathways (and knowledge/ files) in this folder instead of the bundled ones')
    .action(async (file: string, options: { format: CheckFormat; asOf?: string; pathways?: string }) => {
      process.stdout.write(await checkFile(file, options.format, options.asOf, options.pathways));
    });

  program
    .command('lint')
    .description('Check pathway, knowledge and fixture files: schema, references, unreachable or contradictory steps.')
    .argument('<paths...>', 'files or directories')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--knowledge <dir>', 'extra knowledge files to resolve references against')
    .action(async (paths: string[], options: { format: 'text' | 'json'; knowledge?: string }) => {
      const findings = await lintPaths(paths, options.knowledge);
      if (options.format === 'json') process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
      else {
        for (const finding of findings) process.stdout.write(`${formatFinding(finding)}\n`);
        process.stderr.write(findings.length === 0 ? 'no findings\n' : `${findings.length} finding(s)\n`);
      }
      process.exitCode = findings.length === 0 ? EXIT.ok : EXIT.findings;
    });

  program
    .command('graph')
    .description('Draw a pathway\'s rule graph as Graphviz DOT, Mermaid or SVG.')
    .argument('<file>', 'the pathway file')
    .addOption(new Option('--format <format>', 'output format').choices(['dot', 'mermaid', 'svg']).default('dot'))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .option('--knowledge <dir>', 'extra knowledge files to resolve names against')
    .action(async (file: string, options: { format: GraphFormat; output?: string; knowledge?: string }) => {
      const drawing = await drawPathwayFile(file, options.format, options.knowledge);
      if (options.output === undefined) process.stdout.write(drawing);
      else await writeOutput(options.output, drawing);
    });

  program
    .command('test-pathway')
    .description('Run pathway fixtures (a patient and the recommendations expected) and report differences.')
    .argument('[paths...]', 'fixture files or directories, with any pathway files they test', ['pathways/fixtures'])
    .option('--knowledge <dir>', 'extra knowledge files')
    .action(async (paths: string[], options: { knowledge?: string }) => {
      const outcomes = await runFixtureFiles(paths, options.knowledge);
      let failed = 0;
      for (const { file, title, result } of outcomes) {
        process.stdout.write(`${result.passed ? 'pass' : 'FAIL'}  ${file}  ${title}\n`);
        for (const problem of result.problems) process.stdout.write(`      ${problem}\n`);
        if (!result.passed) failed++;
      }
      process.stderr.write(`${outcomes.length - failed} passed, ${failed} failed\n`);
      process.exitCode = failed === 0 ? EXIT.ok : EXIT.findings;
    });
  return program;
}

/**
 * When the reader of standard output goes before the output is written (`carepath check … |
 * head`), the write fails with EPIPE; the command stops quietly with its exit code, as other
 * command-line tools do, rather than with a stack trace. Any other error stays an error.
 */
function stopQuietlyWhenReaderGoes(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
  process.exit();
}

/** Runs the carepath command line with the given arguments (without `node` and the script). */
export async function main(argv: readonly string[]): Promise<void> {
  process.stdout.on('error', stopQuietlyWhenReaderGoes);
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`carepath: ${error.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    throw error;
  }
}
