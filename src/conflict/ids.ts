/**
 * A stable conflict id: a 64-bit FNV-1a hash (as two 32-bit halves) of the conflict's kind,
 * rule and participants, so that the same conflict has the same id in every report and
 * reports diff cleanly. Pure JavaScript, so the core runs in a browser.
 */
export function conflictId(kind: string, rule: string | undefined, participants: readonly string[]): string {
  const [a = '', b] = participants;
  const ordered = participants.length === 1 ? [a] : participants.length === 2 && b !== undefined ? (a <= b ? [a, b] : [b, a]) : [...participants].sort();
  const text = [kind, rule ?? '', ...ordered].join('|');
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x0100019d) >>> 0;
  }
  return `cp-${kind}-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}
