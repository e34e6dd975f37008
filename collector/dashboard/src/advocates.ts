// Advocates: the leaderboard by visitor or by subscriber, a visitor's score level by level, CSV.
import type { Context } from './context.js';
import { panel } from './context.js';
import { el, replaceChildren } from './dom.js';
import { count, money, number, shortId } from './format.js';
import type { Standing, VisitorScore } from './types.js';

export async function advocatesPanel(context: Context, by: 'visitor' | 'subscriber' = 'visitor'): Promise<HTMLElement> {
  const { rows } = await context.api.get<{ rows: Standing[] }>('leaderboard', { by, limit: 20 });
  const detail = el('div', { class: 'breakdown', 'aria-live': 'polite' });
  const showLevels = async (visitor: string) => {
    const score = await context.api.get<VisitorScore>(`visitors/${encodeURIComponent(visitor)}/score`);
    replaceChildren(detail,
      el('h3', {}, `Visitor ${shortId(visitor)}: ${number(score.score)} points`),
      el('table', {}, el('thead', {}, el('tr', {}, ...['Level', 'Counted clickbacks', 'Points'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...score.levels.map((l) => el('tr', { 'data-level': l.level },
          el('td', {}, l.level === 0 ? '0 (their own links)' : `${l.level} up the chain`),
          el('td', {}, count(l.clickbacks)), el('td', {}, number(l.points)))))),
      score.subscribers.length ? el('p', {}, `Subscriber ${score.subscribers.join(', ')}`) : null);
  };
  const table = el('table', { class: 'leaderboard' },
    el('thead', {}, el('tr', {}, ...['#', by === 'visitor' ? 'Visitor' : 'Subscriber', 'Score', 'Clickbacks',
      'Conversions influenced', 'Conversion credit'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r, i) => el('tr', { 'data-id': r.id },
      el('td', {}, String(i + 1)),
      el('th', { scope: 'row' }, by === 'visitor'
        ? el('button', { type: 'button', class: 'link', title: r.id, onclick: () => { void showLevels(r.id); } }, shortId(r.id))
        : r.id),
      el('td', { 'data-field': 'score' }, number(r.score)),
      el('td', { 'data-field': 'clickbacks' }, count(r.countedClickbacks)),
      el('td', { 'data-field': 'conversions' }, count(r.conversionsInfluenced)),
      el('td', { 'data-field': 'credit' }, money(r.conversionCredit))))));
  const section = panel('Advocates', 'advocates');
  const toggle = el('div', { class: 'toggle', role: 'group', 'aria-label': 'Rank by' },
    ...(['visitor', 'subscriber'] as const).map((choice) => el('button', {
      type: 'button', 'aria-pressed': choice === by ? 'true' : 'false',
      onclick: async () => section.replaceWith(await advocatesPanel(context, choice)),
    }, choice === 'visitor' ? 'Visitors' : 'Subscribers')));
  const exportButton = el('button', { type: 'button', onclick: () => context.api.download('export/leaderboard.csv',
    { by }, `${context.api.site}-${by}-leaderboard.csv`) }, 'Export CSV');
  section.append(toggle, rows.length ? el('div', { class: 'scroll' }, table)
    : el('p', { class: 'empty' }, 'No one has earned a point yet: scores come from friends who open shared links.'),
  exportButton, detail);
  return section;
}
