// Shares and counted clickbacks per day (uPlot).
import uPlot from 'uplot';

import type { Context } from './context.js';
import { panel } from './context.js';
import { el } from './dom.js';
import type { Point } from './types.js';

export async function seriesPanel(context: Context): Promise<HTMLElement> {
  const { points } = await context.api.get<{ points: Point[] }>('series', {
    ...context.range, step: 'day', content: context.content ?? undefined,
  });
  const holder = el('div', { class: 'chart', role: 'img',
    'aria-label': `Shares and counted clickbacks per day, ${points.length} days` });
  const section = panel('Shares and clickbacks per day', 'series', holder);
  const data: uPlot.AlignedData = [
    points.map((p) => p.at / 1000),
    points.map((p) => p.shares),
    points.map((p) => p.countedClickbacks),
  ];
  // Drawn once the panel is in the page and has a width, then kept to the panel's width.
  let chart: uPlot | null = null;
  new ResizeObserver(([entry]) => {
    const width = Math.floor(entry!.contentRect.width);
    if (width <= 0) return;
    if (chart) return chart.setSize({ width, height: 220 });
    chart = new uPlot({
      width, height: 220,
      series: [
        {},
        { label: 'Shares', stroke: '#2563eb', width: 2, fill: 'rgba(37, 99, 235, 0.08)' },
        { label: 'Counted clickbacks', stroke: '#16a34a', width: 2 },
      ],
      axes: [{}, { size: 48 }],
      scales: { x: { time: true } },
    }, data, holder);
  }).observe(holder);
  return section;
}
