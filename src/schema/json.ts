import { makeIssue, type LoadOptions, type LoadResult } from './issues.js';

/** The deepest nesting of arrays and objects carepath accepts in a document. */
export const MAX_DEPTH = 64;

/** The largest document carepath parses from text, in characters (64 MiB). */
export const MAX_TEXT_LENGTH = 64 * 1024 * 1024;

/** The byte order mark some Windows tools put before UTF-8 text, which a JSON reader may ignore (RFC 8259, section 8.1). */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Parses JSON text, ignoring a leading byte order mark (which `fs.readFile` keeps). Syntax
 * errors become a typed issue that names the line and column as an editor shows them; nothing
 * throws.
 */
export function parseJson(input: string, options: LoadOptions = {}): LoadResult<unknown> {
  const text = input.startsWith(BYTE_ORDER_MARK) ? input.slice(1) : input;
  if (text.length > MAX_TEXT_LENGTH) {
    return {
      ok: false,
      issues: [makeIssue('CP_JSON_TOO_LARGE', '', `at most ${MAX_TEXT_LENGTH} characters`, `${text.length}`, options)],
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const offset = syntaxErrorOffset(text);
    const found = offset >= text.length ? 'the end of the text' : JSON.stringify(text.slice(offset, offset + 1));
    const hint = startsSecondLineValue(text, offset) ? ': a second JSON value on a new line, as in newline-delimited JSON (a FHIR Bulk Data export), where one document was expected' : '';
    return { ok: false, issues: [makeIssue('CP_JSON_SYNTAX', '', 'valid JSON', `${found} ${lineAndColumn(text, offset)}${hint}`, options)] };
  }
}

/** Whether the text is one whole JSON value up to `offset`, where another begins on a line of its own (newline-delimited JSON). */
function startsSecondLineValue(text: string, offset: number): boolean {
  if (offset >= text.length || !/\n[ \t\r]*$/.test(text.slice(0, offset))) return false;
  try {
    JSON.parse(text.slice(0, offset));
    return true;
  } catch {
    return false;
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `at line ${line}, column ${column}`;
}

/**
 * The offset of the first character where `text` stops being valid JSON (its length when
 * the text ends too soon). A small scanner with an explicit stack, so that any nesting depth
 * is safe; it runs only after JSON.parse has failed, to say where.
 */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const string = (): boolean => {
    i++;
    while (i < text.length) {
      const c = text[i] ?? '';
      if (c === '"') {
        i++;
        return true;
      }
      if (c === '\\') {
        const next = text[i + 1] ?? '';
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return false;
          i += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else return false;
      } else if (c < ' ') return false;
      else i++;
    }
    return false;
  };
  const scalar = (): boolean => {
    const rest = text.slice(i, i + 5);
    for (const word of ['true', 'false', 'null']) {
      if (rest.startsWith(word)) {
        i += word.length;
        return true;
      }
    }
    const number = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (number === null) return false;
    i += number[0].length;
    return true;
  };
  // Expect a value, then close containers and separators until the next value is due.
  for (;;) {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      space();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
      } else {
        if (c === '{') {
          if (text[i] !== '"' || !string()) return i;
          space();
          if (text[i] !== ':') return i;
          i++;
        }
        continue;
      }
    } else if (c === '"') {
      if (!string()) return i;
    } else if (!scalar()) return i;
    for (;;) {
      space();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < text.length ? i : text.length;
      const closer = top === '{' ? '}' : ']';
      if (text[i] === closer) {
        stack.pop();
        i++;
        continue;
      }
      if (text[i] !== ',') return i;
      i++;
      if (top === '{') {
        space();
        if (text[i] !== '"' || !string()) return i;
        space();
        if (text[i] !== ':') return i;
        i++;
      }
      break;
    }
  }
}

/**
 * Measures the nesting depth of a JSON value without recursion, stopping as soon as it
 * passes `limit`, so that hostile input cannot exhaust the stack of a later, recursive pass.
 * Returns the pointer of the first value deeper than the limit, or undefined.
 */
export function findTooDeep(value: unknown, limit: number = MAX_DEPTH): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  // Only containers are pushed, each with its parent and key: a pointer is spelled out only for the offending value.
  const stack: Nested[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop() as Nested;
    if (entry.depth >= limit) return pointerOf(entry);
    const node = entry.node as Record<string, unknown>;
    for (const key in node) {
      const child = node[key];
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: entry.depth + 1, parent: entry, key });
    }
  }
  return undefined;
}

/** A container met while measuring depth, with the way to it. */
interface Nested {
  readonly node: object;
  readonly depth: number;
  readonly parent?: Nested;
  readonly key?: string;
}

/** The JSON pointer of a container, from the keys on the way to it. */
function pointerOf(entry: Nested): string {
  const keys: string[] = [];
  for (let e: Nested | undefined = entry; e?.key !== undefined; e = e.parent) keys.push(e.key);
  return keys.reverse().map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** A deep copy of a JSON value, frozen, so that loaded documents can be shared safely. */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

/** Freezes a value and everything inside it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
