import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { buffer as streamBytes } from 'node:stream/consumers';
import { parseJson } from '../schema/json.js';
import type { LoadResult } from '../schema/issues.js';

/** A usage error: the command cannot run as asked (missing file, bad option). Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A usage error for what failed (`cannot read FILE: `, say, or nothing) and the error's own message, keeping it as the cause. */
export function usageErrorFrom(failed: string, error: unknown): UsageError {
  return new UsageError(`${failed}${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

/** What kind of carepath document a file holds. */
export type DocumentKind = 'pathway' | 'knowledge' | 'fixture' | 'patient';

/** The file argument that stands for standard input (`cat bundle.json | carepath check -`). */
const STANDARD_INPUT = '-';

/** How messages name a file argument: its path, or "standard input" for `-`. */
export function fileLabel(file: string): string {
  return file === STANDARD_INPUT ? 'standard input' : file;
}

/**
 * The encoding a file's byte order mark names: UTF-16, as some Windows tools save text
 * (PowerShell 5's `>`, Notepad's "Unicode"), or else UTF-8.
 */
function encodingOf(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | 'utf-8' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/**
 * Reads and parses a JSON file, or standard input for `-`, decoded as its byte order mark says
 * (UTF-8 without one; see `parseJson`); a missing or unreadable file is a usage error, bad JSON
 * a typed issue.
 */
export async function readJsonFile(file: string): Promise<LoadResult<unknown>> {
  let bytes: Uint8Array;
  try {
    bytes = file === STANDARD_INPUT ? await streamBytes(process.stdin) : await readFile(file);
  } catch (error) {
    throw usageErrorFrom(`cannot read ${fileLabel(file)}: `, error);
  }
  // The decoder drops the byte order mark itself.
  return parseJson(new TextDecoder(encodingOf(bytes)).decode(bytes), { file: fileLabel(file) });
}

/** Expands files and directories into the JSON files below them, sorted, so output is stable. */
export async function jsonFilesUnder(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const visit = async (p: string): Promise<void> => {
    let info;
    try {
      info = await stat(p);
    } catch {
      throw new UsageError(`no such file or directory: ${p}`);
    }
    if (info.isDirectory()) {
      const entries = (await readdir(p)).sort();
      for (const entry of entries) {
        if (entry === 'node_modules' || entry.startsWith('.')) continue;
        const child = path.join(p, entry);
        // A link to nothing has no kind; a JSON one is visited, to be named as missing.
        const isDirectory = (await stat(child).catch(() => undefined))?.isDirectory() === true;
        if (isDirectory || entry.endsWith('.json')) await visit(child);
      }
    } else {
      found.push(p);
    }
  };
  for (const p of paths) await visit(p);
  return [...new Set(found)].sort();
}

/**
 * Decides what a file holds: its `$schema` property when it names a carepath schema, otherwise
 * its place (`knowledge/` or `fixtures/` folders), otherwise a pathway.
 */
export function documentKind(file: string, json: unknown): DocumentKind {
  const declared = json !== null && typeof json === 'object' && !Array.isArray(json) ? (json as { $schema?: unknown }).$schema : undefined;
  if (typeof declared === 'string') {
    for (const kind of ['pathway', 'knowledge', 'fixture', 'patient'] as const) {
      if (declared.endsWith(`${kind}.schema.json`)) return kind;
    }
  }
  const parts = file.split(/[\\/]/);
  if (parts.includes('knowledge')) return 'knowledge';
  if (parts.includes('fixtures')) return 'fixture';
  return 'pathway';
}
