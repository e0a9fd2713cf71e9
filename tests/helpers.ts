import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Reads a JSON file relative to the repository root. */
export function readJson(relative: string): unknown {
  return JSON.parse(readFileSync(path.join(root, relative), 'utf8')) as unknown;
}

/** Every JSON file below a folder of the repository, relative paths, sorted. */
export function jsonFiles(relative: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const child = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.json')) out.push(child);
    }
  };
  walk(relative);
  return out.sort();
}

/** A deep copy of JSON data, for tests that break a real document. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
