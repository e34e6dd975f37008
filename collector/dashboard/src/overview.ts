// Stat cards with the change from the previous period, and the funnel from impressions to
// conversions.
import type { Context } from './context.js';
import { panel } from './context.js';
import { el } from './dom.js';
import { change, count, number, percent } from './format.js';
import type { Figures, Overview } from './types.js';

type Card = { label: string; value: (f: Figures) => number | null; show: (n: number | null) => string; hint: string };

const cards: Card[] = [
  { label: 'Viewable impressions', value: (f) => f.viewableImpressions, show: (n) => count(n ?? 0),
    hint: 'widgets at least half in view for a second' },
  { label: 'Shares', value: (f) => f.shares, show: (n) => count(n ?? 0), hint: 'links shared from the widgets' },
  { label: 'Share rate', value: (f) => f.shareRate, show: percent, hint: 'page views with a share per viewable impression' },
  { label: 'Counted clickbacks', value: (f) => f.countedClickbacks, show: (n) => count(n ?? 0),
    hint: 'friends who opened a shared link (bots, self-clicks and repeats filtered)' },
  { label: 'Viral coefficient K', value: (f) => f.viralCoefficient, show: number,
    hint: 'visitors who arrived through a share per visitor who shared' },
  { label: 'Conversions credited', value: (f) => f.creditedConversions, show: (n) => count(n ?? 0),
    hint: 'conversions that followed a counted clickback' },
  { label: 'Largest cascade (visitors)', value: (f) => f.largestCascade?.size ?? 0, show: (n) => count(n ?? 0),
    hint: 'the most visitors one share brought, hop by hop' },
];

export async function overviewPanels(context: Context): Promise<HTMLElement[]> {
  const overview = await context.api.get<Overview>('overview', { ...context.range, content: context.content ?? undefined });
  const now = overview.current;
  const before = overview.previous.figures;
  const grid = el('div', { class: 'cards' });
  for (const card of cards) {
    const delta = change(card.value(now), card.value(before));
    grid.append(el('div', { class: 'card', 'data-card': card.label },
      el('div', { class: 'card-label' }, card.label),
      el('div', { class: 'card-value' }, card.show(card.value(now))),
      el('div', { class: `card-change ${delta.trend}`, title: 'against the previous period of the same length' },
        delta.text ? `${delta.text} vs previous` : ''),
      el('div', { class: 'card-previous' }, `previous period: ${card.show(card.value(before))}`),
      el('div', { class: 'card-hint' }, card.hint)));
  }
  const steps: [string, number][] = [
    ['Viewable impressions', now.viewableImpressions],
    ['Shares', now.shares],
    ['Counted clickbacks', now.countedClickbacks],
    ['Re-shares', now.reshares],
    ['Conversions credited', now.creditedConversions],
  ];
  const top = Math.max(1, ...steps.map(([, n]) => n));
  const funnel = el('ol', { class: 'funnel' });
  for (const [label, value] of steps) {
    const bar = el('span', { class: 'funnel-bar' });
    bar.style.width = `${Math.max(1, (100 * value) / top)}%`;
    funnel.append(el('li', {}, el('span', { class: 'funnel-label' }, label), bar,
      el('span', { class: 'funnel-value', 'data-funnel': label }, count(value))));
  }
  return [
    panel('At a glance', 'overview', grid),
    panel('Funnel', 'funnel', funnel),
  ];
}
