// Cascades: a table sorted by size, depth or virality, and one cascade drawn as a tree (who
// brought whom, hop by hop). A large tree comes cut breadth first; what is cut shows as "+n" and
// the tree can be opened further.
import { hierarchy, tree } from 'd3-hierarchy';

import type { Context } from './context.js';
import { panel } from './context.js';
import { el, replaceChildren, svg } from './dom.js';
import { count, day, number, shortId } from './format.js';
import type { Cascade, TreeNode } from './types.js';

type Sort = 'size' | 'depth' | 'virality';

export async function cascadesPanel(context: Context, sort: Sort = 'size'): Promise<HTMLElement> {
  const { cascades } = await context.api.get<{ cascades: Cascade[] }>('cascades', {
    ...context.range, sort, limit: 20, content: context.content ?? undefined,
  });
  const drawing = el('div', { class: 'tree', 'aria-live': 'polite' });
  const section = panel('Cascades', 'cascades');
  const sorter = el('select', { 'aria-label': 'Sort cascades by',
    onchange: async (event: Event) => section.replaceWith(await cascadesPanel(context, (event.target as HTMLSelectElement).value as Sort)) },
    ...(['size', 'depth', 'virality'] as const).map((s) => el('option', { value: s, selected: s === sort }, `by ${s}`)));
  const table = el('table', {},
    el('thead', {}, el('tr', {}, ...['Started', 'Testimonial', 'Root', 'Size', 'Depth', 'Widest', 'Virality ν', 'Shape']
      .map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...cascades.map((c) => el('tr', { 'data-cascade': c.id },
      el('td', {}, day(c.startedAt)),
      el('td', {}, c.content),
      el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', title: 'draw this cascade',
        onclick: () => { void drawCascade(context, c.id, 60, drawing); } }, shortId(c.root))),
      el('td', { 'data-field': 'size' }, count(c.size)),
      el('td', { 'data-field': 'depth' }, count(c.depth)),
      el('td', {}, count(c.maxBreadth)),
      el('td', { 'data-field': 'virality' }, number(c.virality)),
      el('td', {}, c.shape)))));
  section.append(el('label', { class: 'inline' }, 'Sort ', sorter),
    cascades.length ? el('div', { class: 'scroll' }, table) : el('p', { class: 'empty' }, 'No cascade started in this range.'),
    drawing);
  if (cascades.length) void drawCascade(context, cascades[0].id, 60, drawing);
  return section;
}

async function drawCascade(context: Context, id: string, maxNodes: number, into: HTMLElement): Promise<void> {
  const answer = await context.api.get<{ cascade: Cascade; shownNodes: number; root: TreeNode }>(
    `cascades/${encodeURIComponent(id)}`, { maxNodes });
  const root = hierarchy(answer.root, (n) => n.children);
  const rowHeight = 20, columnWidth = 150;
  const layout = tree<TreeNode>().nodeSize([rowHeight, columnWidth]);
  const laidOut = layout(root);
  let minX = Infinity, maxX = -Infinity;
  laidOut.each((n) => { minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x); });
  const width = (answer.cascade.depth + 1) * columnWidth + 60;
  const height = maxX - minX + rowHeight * 2;
  const picture = svg('svg', { viewBox: `-10 ${minX - rowHeight} ${width} ${height}`, width, height, role: 'img',
    'aria-label': `Cascade of ${answer.cascade.size} visitors, ${answer.cascade.depth} hops deep` });
  for (const link of laidOut.links()) {
    picture.append(svg('path', { class: 'edge',
      d: `M${link.source.y},${link.source.x}C${(link.source.y + link.target.y) / 2},${link.source.x} ${(link.source.y + link.target.y) / 2},${link.target.x} ${link.target.y},${link.target.x}` }));
  }
  let hidden = 0;
  laidOut.each((n) => {
    hidden += n.data.hiddenChildren;
    const label = `${shortId(n.data.visitor)}${n.data.hiddenChildren ? ` +${n.data.hiddenChildren}` : ''}`;
    picture.append(svg('g', { transform: `translate(${n.y},${n.x})`, class: n.data.visitor === null ? 'node anonymous' : 'node' },
      svg('circle', { r: 4 + Math.min(8, Math.log2(n.data.size)) }),
      svg('text', { x: 10, dy: '0.32em' }, label),
      svg('title', {}, `${n.data.visitor ?? 'anonymous (erased)'}: ${n.data.size} in this branch, ${n.data.countedClickbacks} counted clickbacks through their links`)));
  });
  const c = answer.cascade;
  replaceChildren(into,
    el('p', { class: 'tree-caption' }, `${c.content}: ${count(c.size)} visitors, depth ${c.depth}, ν ${number(c.virality)} (${c.shape})`),
    el('div', { class: 'scroll' }, picture),
    hidden ? el('button', { type: 'button', onclick: () => { void drawCascade(context, id, Math.min(5000, maxNodes * 4), into); } },
      `Open ${count(hidden)} more`) : null);
}
