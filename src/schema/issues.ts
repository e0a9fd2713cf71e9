/**
 * Issues found in documents that carepath reads: a discriminated union with a stable code,
 * where it applies (file and JSON pointer), and what was expected and found.
 */

/** The stable code of a load issue. */
export type LoadIssueCode =
  | 'CP_JSON_SYNTAX'
  | 'CP_JSON_TOO_DEEP'
  | 'CP_JSON_TOO_LARGE'
  | 'CP_SCHEMA'
  | 'CP_DUPLICATE_ID'
  | 'CP_UNKNOWN_REFERENCE'
  | 'CP_BAD_CODE'
  | 'CP_CLASS_CYCLE'
  | 'CP_CONCEPT_CYCLE'
  | 'CP_BAD_UNIT'
  | 'CP_MISPLACED_FIELD'
  | 'CP_INTERNAL';

/** One problem in a document, with everything a person needs to fix it. */
export interface LoadIssue {
  /** A stable code for tools. */
  readonly code: LoadIssueCode;
  /** The file the document came from, when known. */
  readonly file?: string;
  /** A JSON pointer (RFC 6901) to the offending value; `''` is the whole document. */
  readonly pointer: string;
  /** What was expected there. */
  readonly expected: string;
  /** What was found there. */
  readonly found: string;
  /** The whole message in words. */
  readonly message: string;
}

/** The result of loading a document: the typed value, or every issue found. */
export type LoadResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issues: readonly LoadIssue[] };

/** Where a document came from, for messages. */
export interface LoadOptions {
  /** The file name to put in issues. */
  readonly file?: string;
}

/** Formats an issue as `file:pointer: message`, the shape editors and CI understand. */
export function formatIssue(issue: Pick<LoadIssue, 'file' | 'pointer' | 'message'>): string {
  const where = `${issue.file ?? '<input>'}:${issue.pointer === '' ? '/' : issue.pointer}`;
  return `${where}: ${issue.message}`;
}

/** Builds an issue, composing the message from what was expected and found. */
export function makeIssue(
  code: LoadIssueCode,
  pointer: string,
  expected: string,
  found: string,
  options: LoadOptions,
  detail?: string,
): LoadIssue {
  const message = `expected ${expected}, but found ${found}${detail === undefined ? '' : ` (${detail})`}`;
  return options.file === undefined
    ? { code, pointer, expected, found, message }
    : { code, file: options.file, pointer, expected, found, message };
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins segments into a JSON pointer. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${pointerSegment(s)}`).join('');
}

/** Describes a JSON value briefly for a message: its type and, when short, the value itself. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string':
      return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Returns the candidate closest to `word` by edit distance, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Math.abs(a.length - b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
