// Channels: shares and counted clickbacks per channel.
import type { Context } from './context.js';
import { panel } from './context.js';
import { el } from './dom.js';
import { count } from './format.js';
import type { ChannelRow } from './types.js';

export async function channelsPanel(context: Context): Promise<HTMLElement> {
  const { channels } = await context.api.get<{ channels: ChannelRow[] }>('channels', {
    ...context.range, content: context.content ?? undefined,
  });
  const top = Math.max(1, ...channels.map((c) => Math.max(c.shares, c.countedClickbacks)));
  const bar = (n: number, kind: string) => {
    const b = el('span', { class: `bar ${kind}` });
    b.style.width = `${(100 * n) / top}%`;
    return b;
  };
  const list = el('table', { class: 'channels' },
    el('thead', {}, el('tr', {}, ...['Channel', 'Shares', 'Clickbacks', ''].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...channels.map((c) => el('tr', { 'data-channel': c.channel },
      el('th', { scope: 'row' }, c.channel),
      el('td', { 'data-field': 'shares' }, count(c.shares)),
      el('td', { 'data-field': 'clickbacks' }, count(c.countedClickbacks)),
      el('td', { class: 'bars', 'aria-hidden': 'true' }, bar(c.shares, 'shares'), bar(c.countedClickbacks, 'clickbacks'))))));
  return panel('Channels', 'channels', list);
}
