// Filtered traffic: what the collector did not count, and why.
import type { Context } from './context.js';
import { panel } from './context.js';
import { el } from './dom.js';
import { count } from './format.js';
import type { Verdicts } from './types.js';

const meanings: [string, string][] = [
  ['bot', 'Crawlers, link unfurlers and automated browsers: stored, never counted.'],
  ['self', 'Visitors opening their own shared link, such as a reload.'],
  ['own_chain', 'Visitors coming back through a link further down their own cascade.'],
  ['duplicate', 'The same visitor opening the same link again.'],
  ['waiting', 'Clickbacks whose share has not reached the collector yet; they count once it does.'],
  ['suspicious', "From the sharer's own network, or too many visitors through one link from one network."],
];

export async function filteredPanel(context: Context): Promise<HTMLElement> {
  const answer = await context.api.get<Verdicts>('verdicts', { ...context.range, content: context.content ?? undefined });
  const list = el('dl', { class: 'filtered' });
  for (const [verdict, meaning] of meanings) {
    list.append(el('div', { 'data-verdict': verdict },
      el('dt', {}, el('span', { class: 'filtered-count' }, count(answer.verdicts[verdict] ?? 0)), ` ${verdict.replace('_', ' ')}`),
      el('dd', {}, meaning)));
  }
  list.append(el('div', { 'data-verdict': 'bot_page_views' },
    el('dt', {}, el('span', { class: 'filtered-count' }, count(answer.botPageViews)), ' bot page views'),
    el('dd', {}, 'Page views of the widget by a bot, left out of impressions.')));
  return panel('Filtered traffic', 'filtered',
    el('p', {}, `${count(answer.verdicts.counted ?? 0)} clickbacks counted. These were not:`), list);
}
