import type { CheckReport, Conflict, PlanItem, Provenance } from '../schema/generated/report.js';

/** The two human-readable renderings: plain text for terminals, Markdown for EHR notes and tickets. */
export type TextFormat = 'text' | 'markdown';

const severityLabel: Record<Conflict['severity'], string> = { contraindicated: 'CONTRAINDICATED', severe: 'SEVERE', moderate: 'MODERATE', mild: 'MILD' };

function origin(p: Provenance): string {
  switch (p.from) {
    case 'current-medication':
      return `current: ${p.text ?? p.location ?? ''}`;
    case 'pathway':
      return `${p.pathway ?? ''} ${p.source?.guideline ?? ''} ${p.source?.section ?? ''}`.trim();
    case 'patient-record':
      return `record: ${p.text ?? p.location ?? ''}`;
    case 'resolution':
      return 'resolution';
  }
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
  return `${item.action} ${item.name}${details.length > 0 ? ` (${details.join(', ')})` : ''}${from === '' ? '' : ` — ${from}`}`;
}

/**
 * Renders a report for a clinician to read in a minute: conflicts first, most severe first, each
 * with its best verified option; then the plan, what is unknown, data quality and burden.
 */
export function renderText(report: CheckReport, format: TextFormat = 'text'): string {
  const md = format === 'markdown';
  const out: string[] = [];
  const heading = (text: string): void => {
    out.push('', md ? `## ${text}` : text.toUpperCase());
  };
  out.push(md ? `# carepath check: patient ${report.patientId}` : `carepath check: patient ${report.patientId}`);
  out.push(`As of ${report.asOf}. Pathways: ${report.pathways.map((p) => `${p.title} (${p.applies === 'true' ? 'applies' : p.applies === 'false' ? 'does not apply' : 'may apply'})`).join('; ')}.`);

  const definite = report.conflicts.filter((c) => c.certainty === 'definite');
  const possible = report.conflicts.filter((c) => c.certainty === 'possible');
  heading(`Conflicts (${definite.length} definite, ${possible.length} possible)`);
  if (report.conflicts.length === 0) out.push('None found.');
  report.conflicts.forEach((c, i) => {
    // Two pieces of advice about one drug (avoid it, stop it) are two participants with one name.
    const names = [...new Set(c.participants.map((p) => p.name))].join(' + ');
    const flags = [c.certainty === 'possible' ? 'possible' : undefined, c.mitigated === true ? 'mitigated' : undefined].filter((f) => f !== undefined);
    out.push(`${md ? `${i + 1}. **${severityLabel[c.severity]}**` : `${String(i + 1).padStart(2)}. [${severityLabel[c.severity]}]`} ${c.kind}: ${names}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`);
    const indent = md ? '   ' : '    ';
    out.push(`${indent}${c.explanation}`);
    if (c.settledBy !== undefined && c.settledBy.length > 0) out.push(`${indent}Would be settled by: ${c.settledBy.map((n) => n.message).join('; ')}`);
    const best = c.resolutions[0];
    if (best !== undefined) {
      out.push(`${indent}Best option (verified, ${best.recheck.outcome}): ${best.description}`);
      if (c.resolutions.length > 1) out.push(`${indent}Other options: ${c.resolutions.slice(1).map((r) => r.description).join(' | ')}`);
    } else {
      out.push(`${indent}No verified option: needs clinical judgement.`);
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
    const summarised = new Set(['unrecognised-observation', 'unrecognised-condition', 'resources-not-used']);
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

/** A count with its noun, singular for exactly one ("1 regular medicine", "2.5 doses"). */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
