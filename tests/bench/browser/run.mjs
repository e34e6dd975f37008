// scripts/bench peers: ShareTrack's widget beside the Snowplow browser tracker and PostHog, in one
// run of Debian's headless Chromium on loopback; prints a markdown section for BENCHMARKS.md.
// Timings are reported, never asserted: exits non-zero only when a tracker fails to load or a
// page tries to reach beyond loopback.
//   node tests/bench/browser/run.mjs [--rounds 11] [--api-rounds 5] [--cap-s 60]
//     --rounds      interleaved cold loads per tracker (weight, startup, network per page view)
//     --api-rounds  of those rounds, how many also run 1,000 calls and a page view with 100 events
//     --cap-s       100,000 calls (once per tracker) still running after this are abandoned
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { buildFiles, trackers, versions, writePages } from './pages.mjs';
import { render } from './report.mjs';
import { startCollector, startPages, startSink, Traffic } from './stack.mjs';
import { launch, measureEnqueue, measureEvents, measureLoad } from './visit.mjs';

const { values: options } = parseArgs({ options: {
  rounds: { type: 'string', default: '11' },
  'api-rounds': { type: 'string', default: '5' },
  'cap-s': { type: 'string', default: '60' },
} });
const rounds = Number(options.rounds);
const apiRounds = Math.min(rounds, Number(options['api-rounds']));
const capMs = Number(options['cap-s']) * 1000;
const began = Date.now();
const progress = (text) => process.stderr.write(`peers: ${text} (${Math.round((Date.now() - began) / 1000)} s)\n`);

// Stopped from outside: exit, so that 'exit' handlers stop the collector.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));

const folder = mkdtempSync(`${tmpdir()}/sharetrack-peers-`);
const traffic = new Traffic();
const blocked = new Set();
const servers = [];
let browser;
try {
  await buildFiles(folder);
  const pages = await startPages(folder);
  const collector = await startCollector(folder, pages.origin, traffic);
  const sink = await startSink(traffic);
  servers.push(pages, collector, sink);
  const urls = writePages(folder, { origin: pages.origin, collector: collector.origin, sink: sink.origin });
  browser = await launch();
  const env = { browser, blocked, traffic };
  const results = Object.fromEntries(trackers.map((t) => [t.name, { loads: [], events: [], enqueue: { 1000: [], 100000: [] } }]));

  for (let round = 0; round < rounds; round++) {
    progress(`round ${round + 1} of ${rounds}`);
    // A rotating order, so no tracker always runs first (or right after another).
    const order = trackers.map((_, i) => trackers[(i + round) % trackers.length]);
    for (const tracker of order) results[tracker.name].loads.push(await measureLoad(env, tracker, urls[tracker.name]));
    if (round >= apiRounds) continue;
    for (const tracker of order) results[tracker.name].events.push(await measureEvents(env, tracker, urls[tracker.name], 100));
    for (const tracker of order) {
      results[tracker.name].enqueue[1000].push(await measureEnqueue(env, tracker, urls[tracker.name], 1000, capMs));
    }
  }
  for (const tracker of trackers) {
    progress(`100,000 calls through ${tracker.label}`);
    results[tracker.name].enqueue[100000].push(await measureEnqueue(env, tracker, urls[tracker.name], 100000, capMs));
  }

  const version = versions();
  const machine = `${availableParallelism()} cores (${execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim()}), `
    + new Date().toISOString().slice(0, 10);
  const header = [
    '## Beside the trackers people use today',
    '',
    `\`scripts/bench peers\` on ${machine}; Chromium ${browser.version()} headless; ShareTrack ${version.sharetrack},`,
    `@snowplow/browser-tracker ${version.snowplow}, posthog-js ${version.posthog}, each bundled as sharetrack.js is`,
    `(esbuild, minified iife, es2020). Medians of ${rounds} rounds of cold loads (a fresh browser context each,`,
    `the three in rotating order), of ${apiRounds} rounds for 1,000 calls and 100 events, of one run for 100,000 calls.`,
  ].join('\n');
  const notes = [
    'Script start: the tracker\'s script begins to run (the trace\'s EvaluateScript). Ready: ShareTrack\'s',
    '`sharetrack(\'ready\')` resolved, Snowplow\'s `newTracker` returned, PostHog\'s `loaded` callback. Tasks: the',
    'longest `RunTask` of the page\'s main thread in a Chromium trace (navigation to ready + 500 ms; the calls).',
    'Calls: one synchronous loop of `sharetrack(\'conversion\', \'bench\', i)`, `trackStructEvent` or `capture`, timed',
    'until the promises settled (ShareTrack) or the next macrotask ran (the peers, whose work goes on in',
    'microtasks); heartbeat: the longest gap of a `setTimeout(0)` chain meanwhile. Delivered: bench events that',
    'reached the collector or sink after a flush and the page\'s close. Network: requests (CORS preflights',
    'included) and bytes (request line, headers, body) that reached the collector or sink from the load to',
    'the page\'s close, once the tracker had sent nothing for 1 s (PostHog: 3.5 s, its batch interval); per',
    '100 events, the same with 100 events and a flush, minus the page view alone.',
    'PostHog limits capture to 10 events/s (burst 100) in the page and logs a warning for each call it drops.',
    ...(sink.unknown.size ? [`The sink answered 404 to: ${[...sink.unknown].join(', ')}.`] : []),
    ...(blocked.size ? [`**Blocked requests beyond loopback:** ${[...blocked].join(', ')}.`] : []),
  ];
  console.log(render({ header, results, sizes: [1000, 100000], notes }));
} finally {
  await browser?.close();
  for (const server of servers) await server.close();
  rmSync(folder, { recursive: true, force: true });
}
if (blocked.size) {
  progress(`a page tried to reach beyond loopback: ${[...blocked].join(', ')}`);
  process.exitCode = 1;
}
