import type { Pathway, Recommendation, Step } from '../schema/generated/pathway.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import { describePredicate, describeTarget } from './describe.js';
import { durationText } from './view.js';

/** A node of a drawn rule graph. */
interface DrawNode {
  readonly id: string;
  readonly kind: 'pathway' | 'step' | 'recommendation';
  readonly lines: readonly string[];
  readonly strength?: Recommendation['strength'];
}

/** An edge of a drawn rule graph; `label` marks if / else-if order among exclusive children. */
interface DrawEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly dashed: boolean;
}

/** Breaks text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width = 44): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line.length > 0 && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line.length === 0 ? word : `${line} ${word}`;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

const strengthWord: Record<Recommendation['strength'], string> = { offer: 'OFFER', consider: 'CONSIDER', 'do-not-offer': 'DO NOT OFFER' };

/** Lays out a pathway as nodes and edges: the pathway, its steps (title and condition) and their recommendations. */
function layout(pathway: Pathway, knowledge: KnowledgeBase): { nodes: DrawNode[]; edges: DrawEdge[] } {
  const nodes: DrawNode[] = [
    { id: 'pathway', kind: 'pathway', lines: [...wrap(pathway.title), ...wrap(`applies when: ${describePredicate(pathway.entry, knowledge)}`)] },
  ];
  const edges: DrawEdge[] = [];
  const addSteps = (steps: readonly Step[], parent: string, exclusive: boolean): void => {
    steps.forEach((step, i) => {
      const id = `step_${step.id.replace(/-/g, '_')}`;
      const condition = step.when === undefined ? (exclusive && i > 0 ? 'otherwise' : 'always') : `if ${describePredicate(step.when, knowledge)}`;
      nodes.push({ id, kind: 'step', lines: [...wrap(step.title), ...wrap(condition)] });
      const label = exclusive ? (i === 0 ? 'if' : step.when === undefined ? 'else' : 'else if') : undefined;
      edges.push({ from: parent, to: id, dashed: false, ...(label === undefined ? {} : { label }) });
      for (const r of step.recommendations ?? []) {
        const rid = `rec_${r.id.replace(/-/g, '_')}`;
        const timing = r.timing?.every !== undefined ? ` (every ${durationText(r.timing.every)})` : '';
        nodes.push({
          id: rid,
          kind: 'recommendation',
          strength: r.strength,
          lines: [`${strengthWord[r.strength]}: ${r.kind}`, ...wrap(describeTarget(r.target, knowledge) + timing), `${r.source.guideline} ${r.source.section}`],
        });
        edges.push({ from: id, to: rid, dashed: true });
      }
      addSteps(step.children ?? [], id, step.exclusive === true);
    });
  };
  addSteps(pathway.steps, 'pathway', false);
  return { nodes, edges };
}

function dotString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

const strengthColour: Record<Recommendation['strength'], { fill: string; border: string }> = {
  offer: { fill: '#e6f4ea', border: '#1e7b34' },
  consider: { fill: '#fff4e0', border: '#b26a00' },
  'do-not-offer': { fill: '#fde8e8', border: '#b3261e' },
};

/** Draws a pathway's rule graph in Graphviz DOT: steps as boxes, recommendations as notes coloured by strength, exclusive branches labelled. */
export function toDot(pathway: Pathway, knowledge: KnowledgeBase): string {
  const { nodes, edges } = layout(pathway, knowledge);
  const out = [
    `digraph "${dotString(pathway.id)}" {`,
    '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.25, ranksep=0.5, bgcolor="white"];',
    '  node [fontname="Helvetica", fontsize=11, margin="0.15,0.08"];',
    '  edge [fontname="Helvetica", fontsize=10, color="#555555"];',
  ];
  for (const node of nodes) {
    const label = node.lines.map(dotString).join('\\l') + '\\l';
    if (node.kind === 'pathway') out.push(`  ${node.id} [shape=box, style="rounded,filled,bold", fillcolor="#dbe8f7", color="#1f4e8c", label="${label}"];`);
    else if (node.kind === 'step') out.push(`  ${node.id} [shape=box, style="rounded,filled", fillcolor="#f5f5f5", color="#444444", label="${label}"];`);
    else {
      const colour = strengthColour[node.strength ?? 'offer'];
      out.push(`  ${node.id} [shape=note, style=filled, fillcolor="${colour.fill}", color="${colour.border}", label="${label}"];`);
    }
  }
  for (const edge of edges) {
    const attributes = [edge.dashed ? 'style=dashed, arrowhead=none' : '', edge.label === undefined ? '' : `label="${edge.label}"`].filter((a) => a !== '');
    out.push(`  ${edge.from} -> ${edge.to}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** Draws a pathway's rule graph as a Mermaid flowchart, for Markdown viewers. */
export function toMermaid(pathway: Pathway, knowledge: KnowledgeBase): string {
  const { nodes, edges } = layout(pathway, knowledge);
  const out = ['flowchart LR'];
  for (const node of nodes) {
    const label = node.lines.map(mermaidText).join('<br/>');
    if (node.kind === 'recommendation') out.push(`  ${node.id}["${label}"]:::${node.strength === 'do-not-offer' ? 'donot' : (node.strength ?? 'offer')}`);
    else if (node.kind === 'pathway') out.push(`  ${node.id}(["${label}"])`);
    else out.push(`  ${node.id}("${label}")`);
  }
  for (const edge of edges) {
    const arrow = edge.dashed ? '-.-' : '-->';
    out.push(edge.label === undefined ? `  ${edge.from} ${arrow} ${edge.to}` : `  ${edge.from} ${arrow}|${edge.label}| ${edge.to}`);
  }
  out.push('  classDef offer fill:#e6f4ea,stroke:#1e7b34');
  out.push('  classDef consider fill:#fff4e0,stroke:#b26a00');
  out.push('  classDef donot fill:#fde8e8,stroke:#b3261e');
  return `${out.join('\n')}\n`;
}

/** Renders a pathway's rule graph as SVG with Graphviz (compiled to WebAssembly, so it needs no system install). */
export async function toSvg(pathway: Pathway, knowledge: KnowledgeBase): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  return viz.renderString(toDot(pathway, knowledge), { format: 'svg', engine: 'dot' });
}
