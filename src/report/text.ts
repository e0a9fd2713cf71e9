import type { CheckReport, Conflict, PlanItem, Provenance, Resolution } from '../schema/generated/report.js';

/** The two human-readable renderings: plain text for terminals, Markdown for EHR notes and tickets. */
export type TextFormat = 'text' | 'markdown';

const severityLabel: Record<Conflict['severity'], string> = { contraindicated: 'CONTRAINDICATED', severe: 'SEVERE', moderate: 'MODERATE', mild: 'MILD' };

/** Where a record's item is named: its text as written, or where it is when it has none (a native medicine given by ingredient alone). */
function recordName(p: Provenance): string {
  return p.text === undefined || p.text === '' ? (p.location ?? '') : p.text;
}

function origin(p: Provenance): string {
  switch (p.from) {
    case 'current-medication':
      return `current: ${recordName(p)}`;
    case 'pathway':
      return `${p.pathway ?? ''} ${p.source?.guideline ?? ''} ${p.source?.section ?? ''}`.trim();
    case 'patient-record':
      return `record: ${recordName(p)}`;
    case 'resolution':
      return 'resolution';
  }
}

/**
 * An item's action and target in words ("monitor HbA1c"). The action is left out where it adds
 * nothing: for lifestyle advice, which its section names, and for a target whose name begins
 * with the action ("review of triple therapy", not "review review of triple therapy").
 */
function itemWords(item: PlanItem): string {
  return item.action === 'lifestyle' || item.name.toLowerCase().startsWith(`${item.action} `) ? item.name : `${item.action} ${item.name}`;
}

function itemLine(item: PlanItem): string {
  const details = [
    item.strength,
    item.status === 'already-taking' ? 'already taking' : undefined,
    item.certainty === 'possible' ? 'possible' : undefined,
    item.dose,
    item.timing,
  ].filter((d) => d !== undefined);
  const from = [...new Set(item.provenance.filter((p) => p.from === 'pathway' || p.from === 'current-medication').map(origin))].join('; ');
  return `${itemWords(item)}${details.length > 0 ? ` (${details.join(', ')})` : ''}${from === '' ? '' : ` — ${from}`}`;
}

/** How many options the summary names before it points to the list. */
const SUMMARY_OPTIONS = 8;

/** How many missing data the summary names. */
const SUMMARY_NEEDS = 3;

/** How long an option's words may be in the summary; the list below has them in full. */
const SUMMARY_WIDTH = 90;

/** Conflicts by their number in the list (1-based), as `#1, #4`. */
function numbers(list: readonly number[]): string {
  return list.map((n) => `#${n}`).join(', ');
}

/** Words cut at a word boundary to at most `width` characters, with an ellipsis when cut. */
function shortened(words: string, width: number): string {
  if (words.length <= width) return words;
  const cut = words.lastIndexOf(' ', width - 1);
  // A trailing backslash would be half of a Markdown escape whose character was cut.
  return `${words.slice(0, cut > 0 ? cut : width - 1).replace(/[\s,;:.\\]+$/, '')}…`;
}

/** Groups conflict numbers under a label (a change, a missing datum), keeping the labels in the order first met. */
function grouped(entries: readonly (readonly [string, number])[]): [string, number[]][] {
  const groups = new Map<string, number[]>();
  for (const [label, n] of entries) {
    const list = groups.get(label);
    if (list === undefined) groups.set(label, [n]);
    else if (!list.includes(n)) list.push(n);
  }
  return [...groups];
}

/** What an option does to the plan: the strategy and the items its patches put in, replace or take out. */
function changeOf(r: Resolution): string {
  return `${r.strategy} ${r.patches.map((p) => `${p.op} ${p.path.join('/')}`).join(', ')}`;
}

/**
 * The words for one change offered with different advice (monitoring sodium, say, with the
 * advice of each rule): the words all its descriptions begin with, up to a colon or the end of a
 * word; the first description when they share none.
 */
function commonWords(descriptions: readonly string[]): string {
  const [first = ''] = descriptions;
  let length = first.length;
  for (const d of descriptions) {
    let i = 0;
    while (i < length && i < d.length && d[i] === first[i]) i++;
    length = i;
  }
  if (descriptions.every((d) => d.length === length)) return first;
  const shared = first.slice(0, length);
  const colon = shared.lastIndexOf(':');
  const cut = colon > 0 ? colon : shared.lastIndexOf(' ');
  return cut > 0 ? shared.slice(0, cut).trim() : first;
}

/** A line of the summary, with any points under it. */
type SummaryLine = readonly [line: string, points: readonly string[]];

/**
 * The best verified option of each of these conflicts, one line per change (see `changeOf`), with
 * the numbers of the conflicts it is best for, named by the words their options share.
 */
function bestOptions(numbered: readonly (readonly [Conflict, number])[]): string[] {
  const bestOf = new Map<number, Resolution>();
  for (const [conflict, n] of numbered) if (conflict.resolutions[0] !== undefined) bestOf.set(n, conflict.resolutions[0]);
  return grouped([...bestOf].map(([n, best]) => [changeOf(best), n] as const)).map(([, conflicts]) => {
    const descriptions = conflicts.map((n) => bestOf.get(n)?.description ?? '');
    return `${shortened(commonWords(descriptions), SUMMARY_WIDTH)} (${numbers(conflicts)})`;
  });
}

/**
 * The part a clinician reads first: how many conflicts of each severity; for the definite ones,
 * each verified best option once, with the numbers of the conflicts it is best for (most severe
 * first, as the list is), and those with no verified option (and which of them the plan already
 * mitigates); and the missing data most possible conflicts hinge on. A possible conflict is
 * settled by its data before anything is changed for it, so its options are left to the list.
 */
function summary(conflicts: readonly Conflict[]): SummaryLine[] {
  const numbered = conflicts.map((c, i) => [c, i + 1] as const);
  const definite = numbered.filter(([c]) => c.certainty === 'definite');
  const bySeverity = (['contraindicated', 'severe', 'moderate', 'mild'] as const)
    .map((severity) => [severity, definite.filter(([c]) => c.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`);
  const possible = conflicts.length - definite.length;
  const possibleText = possible === 0 ? '' : `; ${counted(possible, 'possible conflict')}, which ${possible === 1 ? 'hinges' : 'hinge'} on missing data`;
  const lines: SummaryLine[] = [[`${counted(definite.length, 'definite conflict')}${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}${possibleText}.`, []]];
  const options = bestOptions(definite);
  if (options.length > 0) {
    const points = options.slice(0, SUMMARY_OPTIONS);
    if (options.length > SUMMARY_OPTIONS) points.push(`${counted(options.length - SUMMARY_OPTIONS, 'more option')} in the list below`);
    lines.push(['Verified best options for the definite conflicts (each re-checked on its own), with the conflicts each is best for:', points]);
  }
  const unresolved = definite.flatMap(([c, n]) => (c.resolutions.length === 0 ? [n] : []));
  if (unresolved.length > 0) lines.push([`Definite conflicts with no verified option, for clinical judgement: ${numbers(unresolved)}.`, []]);
  const mitigated = unresolved.filter((n) => conflicts[n - 1]?.mitigated === true);
  if (mitigated.length > 0) lines.push([`Of these, already mitigated in the plan: ${numbers(mitigated)}.`, []]);
  const needs = grouped(numbered.flatMap(([c, n]) => (c.settledBy ?? []).map((need) => [need.message, n] as const)))
    .sort((a, b) => b[1].length - a[1].length)
    .slice(0, SUMMARY_NEEDS);
  if (needs.length > 0) lines.push(['Missing data behind the possible conflicts:', needs.map(([message, list]) => `${message} (${counted(list.length, 'conflict')})`)]);
  return lines;
}

/**
 * Renders a report for a clinician to read in a minute: a note first if the record says the
 * patient has died, a summary (counts, the verified best options and the conflicts each is best
 * for, what needs judgement or data), then the conflicts, most severe first, each with its best
 * verified option; then the plan, what is unknown, data quality and burden. Text from the record
 * is shown literally (see `literalReport`): on one line, and in Markdown with its markup escaped.
 */
export function renderText(input: CheckReport, format: TextFormat = 'text'): string {
  const md = format === 'markdown';
  const report = literalReport(input, format);
  const out: string[] = [];
  const heading = (text: string): void => {
    out.push('', md ? `## ${text}` : text.toUpperCase());
  };
  out.push(md ? `# carepath check: patient ${report.patientId}` : `carepath check: patient ${report.patientId}`);
  out.push(`As of ${report.asOf}. Pathways: ${report.pathways.map((p) => `${p.title} (${p.applies === 'true' ? 'applies' : p.applies === 'false' ? 'does not apply' : 'may apply'})`).join('; ')}.`);

  // A patient the record says has died is said first: the rest describes a record, not care to give.
  const died = report.dataQuality.find((n) => n.code === 'patient-deceased');
  if (died !== undefined) out.push(...(md ? ['', `**Note:** ${died.message}.`] : [`NOTE: ${died.message}.`]));

  const definite = report.conflicts.filter((c) => c.certainty === 'definite');
  const possible = report.conflicts.filter((c) => c.certainty === 'possible');
  if (report.conflicts.length > 0) {
    heading('At a glance');
    summary(report.conflicts).forEach(([line, points], i) => {
      // Markdown needs a blank line between paragraphs and before a list.
      if (md && i > 0) out.push('');
      out.push(line);
      if (md && points.length > 0) out.push('');
      for (const point of points) out.push(`${md ? '-' : '  -'} ${point}`);
    });
  }
  heading(`Conflicts (${definite.length} definite, ${possible.length} possible)`);
  if (report.conflicts.length === 0) out.push('None found.');
  report.conflicts.forEach((c, i) => {
    // Two pieces of advice about one drug (avoid it, stop it) are two participants with one name.
    const names = [...new Set(c.participants.map((p) => p.name))].join(' + ');
    const flags = [c.certainty === 'possible' ? 'possible' : undefined, c.mitigated === true ? 'mitigated' : undefined].filter((f) => f !== undefined);
    const marker = md ? `${i + 1}. ` : `${String(i + 1).padStart(2)}. `;
    out.push(`${marker}${md ? `**${severityLabel[c.severity]}**` : `[${severityLabel[c.severity]}]`} ${c.kind}: ${names}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`);
    // In Markdown each detail is an item of a list nested in the conflict's (indented to the
    // conflict's text, as CommonMark nests it), so that it renders on a line of its own rather
    // than run into one paragraph with the others.
    const indent = md ? `${' '.repeat(marker.length)}- ` : '    ';
    out.push(`${indent}${c.explanation}`);
    if (c.settledBy !== undefined && c.settledBy.length > 0) out.push(`${indent}Would be settled by: ${c.settledBy.map((n) => n.message).join('; ')}`);
    const best = c.resolutions[0];
    if (best !== undefined) {
      // A possible conflict's option is for when its missing data confirm it: the data come first.
      out.push(`${indent}${c.certainty === 'possible' ? 'If confirmed, best option' : 'Best option'} (verified, ${best.recheck.outcome}): ${best.description}`);
      if (c.resolutions.length > 1) out.push(`${indent}Other options: ${c.resolutions.slice(1).map((r) => r.description).join(' | ')}`);
    } else {
      out.push(`${indent}No verified option${c.mitigated === true ? ' beyond the mitigation already in the plan' : ''}: needs clinical judgement.`);
    }
    out.push(`${indent}Source: ${c.sources.map((s) => `${s.guideline} ${s.section} <${s.url}>`).join('; ')}`);
  });

  const groups: [string, (i: PlanItem) => boolean][] = [
    ['Current medicines', (i) => i.action === 'take'],
    ['Medicine recommendations', (i) => ['start', 'continue', 'avoid', 'stop'].includes(i.action)],
    ['Monitoring, referrals and reviews', (i) => ['monitor', 'refer', 'review'].includes(i.action)],
    ['Lifestyle and activities', (i) => i.action === 'lifestyle'],
  ];
  heading('Plan');
  for (const [title, predicate] of groups) {
    const items = report.plan.filter(predicate);
    if (items.length === 0) continue;
    out.push(md ? `### ${title}` : `${title}:`);
    for (const item of items) out.push(`${md ? '-' : '  -'} ${itemLine(item)}`);
  }

  if (report.unknowns.length > 0) {
    heading('Unknown: data that would settle open questions');
    for (const u of report.unknowns) out.push(`${md ? '-' : '  -'} ${u.need.message} (affects ${u.affects.length} item${u.affects.length === 1 ? '' : 's'})`);
  }
  if (report.dataQuality.length > 0) {
    heading('Data quality');
    // Counted, not listed: notes that are many in a real record and change nothing a clinician must act on (a dose read from its words shows in the plan line).
    const summarised = new Set(['unrecognised-observation', 'unrecognised-condition', 'resources-not-used', 'other-patient', 'dose-read-from-text']);
    for (const n of report.dataQuality.filter((note) => !summarised.has(note.code))) {
      out.push(`${md ? '-' : '  -'} ${n.code} at ${n.location}${n.text === undefined ? '' : ` "${n.text}"`}: ${n.message}`);
    }
    for (const code of summarised) {
      const count = report.dataQuality.filter((n) => n.code === code).length;
      if (count > 0) out.push(`${md ? '-' : '  -'} ${code}: ${counted(count, 'note')} (listed in the JSON report)`);
    }
  }
  const b = report.burden;
  heading('Treatment burden');
  out.push(`${counted(b.medicines, 'regular medicine')}, about ${counted(b.administrationsPerDay, 'dose')} a day, ${counted(b.monitoringPerYear, 'monitoring test')} and ${counted(b.reviewsPerYear, 'review')} a year.`);
  return `${out.join('\n')}\n`;
}

/**
 * The characters Markdown or HTML would read as markup (emphasis, code, links, tags, entities,
 * headings, tables, strikethrough), each escaped with a backslash as CommonMark allows for any
 * ASCII punctuation.
 */
const MARKUP = /[\\`*_[\]<>&~|#]/g;

/** Control characters (C0, DEL and C1) but the line breaks and tabs that `oneLine` makes spaces. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Text on one line with its control characters shown as `\uXXXX`: text from a patient's record
 * (a medicine's name as written, a resource id) can then neither break the view's layout nor
 * send a terminal escape sequence.
 */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n\t]+\s*/g, ' ').replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text as Markdown shows it literally (see `oneLine`), with its markup characters escaped, so that it cannot format the note or put HTML into a viewer. */
function markdownLiteral(text: string): string {
  return oneLine(text).replace(MARKUP, '\\$&');
}

/** A copy of a value with every string but a URL (under the key `url`) made literal. */
function literalValue(value: unknown, key: string, literal: (text: string) => string): unknown {
  if (typeof value === 'string') return key === 'url' ? value : literal(value);
  if (Array.isArray(value)) return value.map((v) => literalValue(v, '', literal));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalValue(v, k, literal)]));
  return value;
}

/** The report with all its text made literal for the view, once, so that no line of the view can miss it. */
function literalReport(report: CheckReport, format: TextFormat): CheckReport {
  return literalValue(report, '', format === 'markdown' ? markdownLiteral : oneLine) as CheckReport;
}

/** A count with its noun, singular for exactly one ("1 regular medicine", "2.5 doses"). */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
