// Testimonials: per-content engagement; choosing one filters the rest of the page.
import type { Context } from './context.js';
import { panel } from './context.js';
import { el } from './dom.js';
import { count, number, percent, seconds } from './format.js';
import type { Engagement } from './types.js';

export async function contentsPanel(context: Context): Promise<HTMLElement> {
  const { contents } = await context.api.get<{ contents: Engagement[] }>('contents', context.range);
  if (contents.length === 0) return panel('Testimonials', 'contents', emptyState(context.api.site));
  const rows = contents.map((c) => {
    const shares = Object.entries(c.shares).map(([channel, n]) => `${channel} ${n}`).join(', ') || '–';
    const chosen = context.content === c.content;
    const completion = c.video.starts ? percent(c.video.quartiles[3] / c.video.starts) : '–';
    return el('tr', { class: chosen ? 'chosen' : '', 'data-content': c.content },
      el('th', { scope: 'row' },
        el('button', { type: 'button', class: 'link', 'aria-pressed': chosen ? 'true' : 'false',
          title: chosen ? 'show every testimonial' : 'show this testimonial only',
          onclick: () => context.select(chosen ? null : c.content) }, c.content)),
      el('td', { 'data-field': 'viewable' }, count(c.viewableImpressions)),
      el('td', { 'data-field': 'viewableRate' }, percent(c.viewableRate)),
      el('td', { 'data-field': 'dwell' }, seconds(c.dwellMs.median)),
      el('td', { 'data-field': 'completion' }, completion),
      el('td', { 'data-field': 'shares' }, shares),
      el('td', { 'data-field': 'shareRate' }, percent(c.shareRate)),
      el('td', { 'data-field': 'clickbacks' }, count(c.countedClickbacks)),
      el('td', { 'data-field': 'k' }, number(c.viralCoefficient)));
  });
  const table = el('table', {},
    el('caption', {}, context.content ? 'Filtered to one testimonial: choose it again to see all.' : 'Choose a testimonial to filter the page.'),
    el('thead', {}, el('tr', {}, ...['Testimonial', 'Viewable', 'Viewable rate', 'Median dwell', 'Video completed',
      'Shares per channel', 'Share rate', 'Clickbacks', 'K'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows));
  const exportButton = el('button', { type: 'button', onclick: () => context.api.download('export/contents.csv',
    context.range, `${context.api.site}-testimonials.csv`) }, 'Export CSV');
  return panel('Testimonials', 'contents', el('div', { class: 'scroll' }, table), exportButton);
}

// What to do when nothing has arrived yet: the snippet for the brand's pages.
export function emptyState(site: string): HTMLElement {
  const snippet = `<script src="${location.origin}/sharetrack.js" data-collector="${location.origin}"\n`
    + `        data-site="${site}" defer></script>\n`
    + '<sharetrack-widget content-id="testimonial-1">\n  <blockquote>What your customer said.</blockquote>\n</sharetrack-widget>';
  return el('div', { class: 'empty' },
    el('p', {}, 'Nothing has arrived in this range yet. Paste this into a page with a testimonial, then share it:'),
    el('pre', {}, el('code', {}, snippet)));
}
