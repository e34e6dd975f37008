// The markdown section of BENCHMARKS.md: one table of medians, tracker by tracker, beside
// DESIGN.md's budgets, and the files each tracker's page downloaded.
import { trackers } from './pages.mjs';

function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const int = (value) => Math.round(value).toLocaleString('en-US');
const ms = (value) => (value < 10 ? value.toFixed(1) : int(value));

// One enqueue size's cells: a run abandoned at its cap is reported as a bound.
function enqueueCells(runs, n) {
  const done = runs.filter((run) => !run.capped);
  if (!done.length) {
    const capS = runs[0].capMs / 1000;
    const responsive = runs.filter((run) => run.longestTaskMs !== null);
    return {
      rate: `not done after ${capS} s (< ${int(n / capS)}/s)`,
      task: responsive.length ? `${ms(median(responsive.map((run) => run.longestTaskMs)))} / `
        + `${ms(median(responsive.map((run) => run.heartbeatGapMs)))} ms in ${capS} s` : `≥ ${int(runs[0].capMs)} ms`,
      delivered: `${int(median(runs.map((run) => run.delivered)))} before the page was closed`,
    };
  }
  const overflow = median(done.map((run) => run.queueOverflow));
  const rejected = median(done.map((run) => run.rejected));
  return {
    rate: `${int(median(done.map((run) => run.perSecond)))}/s`,
    task: `${ms(median(done.map((run) => run.longestTaskMs)))} / ${ms(median(done.map((run) => run.heartbeatGapMs)))} ms`,
    delivered: int(median(done.map((run) => run.delivered))) + (overflow ? `, ${int(overflow)} dropped (queue full)` : '')
      + (rejected ? `, ${int(rejected)} calls rejected` : ''),
  };
}

const traffic = ({ requests, bytes }) => `${int(requests)} req, ${int(bytes)} B`;

/** `results[tracker]`: { loads, events, enqueue: { [n]: runs } }, the runs of every round. */
export function render({ header, results, sizes, notes }) {
  const cell = (fn) => trackers.map((tracker) => fn(results[tracker.name]));
  const rows = [];
  const row = (measure, cells, budget) => rows.push(`| ${measure} | ${cells.join(' | ')} | ${budget} |`);
  const loadMedian = (field) => (r) => median(r.loads.map((load) => load[field]));

  row('weight, gzip -9 (B)', cell((r) => int(loadMedian('gzip')(r))), '≤ 40,960 (40 KB)');
  row('weight, brotli -q 11 (B)', cell((r) => int(loadMedian('brotli')(r))), '');
  row('script start → share buttons', cell((r) => {
    const value = loadMedian('buttonsMs')(r);
    return value === null ? 'in the page\'s HTML' : `${ms(value)} ms`;
  }), '≤ 20 ms');
  row('script start → tracker ready', cell((r) => `${ms(loadMedian('readyMs')(r))} ms`), 'no later than either peer');
  row('longest main-thread task, load', cell((r) => `${ms(loadMedian('longestTaskMs')(r))} ms`), '≤ 50 ms');
  for (const n of sizes) {
    const cells = cell((r) => enqueueCells(r.enqueue[n], n));
    row(`enqueue ${int(n)} calls`, cells.map((c) => c.rate), '≥ 20,000/s');
    row(`${int(n)} calls: longest task / heartbeat gap`, cells.map((c) => c.task), '≤ 50 ms');
    row(`${int(n)} calls: events delivered`, cells.map((c) => c.delivered), '');
  }
  row('network per page view', cell((r) => traffic({
    requests: median(r.loads.map((load) => load.view.requests)),
    bytes: median(r.loads.map((load) => load.view.bytes)),
  })), '');
  row('network per 100 events', cell((r) => traffic({
    requests: median(r.events.map((events, i) => events.requests - r.loads[i].view.requests)),
    bytes: median(r.events.map((events, i) => events.bytes - r.loads[i].view.bytes)),
  })), '');

  const files = trackers.flatMap((tracker) => results[tracker.name].loads[0].files.map((file) =>
    `| ${tracker.label} | \`${file.file}\` | ${int(file.bytes)} | ${int(file.gzip)} | ${int(file.brotli)} |`));

  return [
    header,
    '',
    `| measure | ${trackers.map((tracker) => tracker.label).join(' | ')} | budget |`,
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    ...notes,
    '',
    'What each page downloaded for its tracker (first round):',
    '',
    '| tracker | file | bytes | gzip -9 | brotli -q 11 |',
    '| --- | --- | ---: | ---: | ---: |',
    ...files,
  ].join('\n');
}
