// One cold visit per measure: a fresh browser context (empty cache and storage) on one tracker's
// page, every non-loopback request blocked and remembered.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { humanUserAgent } from '../../browser/harness.mjs';
import { isEventPost } from './stack.mjs';
import { categories, PageTrace } from './trace.mjs';

// Flags as tests/browser/harness.mjs (TOOLCHAIN.md), and the visitor is not flagged as automation,
// so ShareTrack treats it as it treats people. Nothing leaves loopback: every other request goes to
// a proxy that is not there (loopback bypasses proxies). Not page.route: with a route, Playwright
// intercepts every request and answers CORS preflights itself, so the peers' preflights would never
// reach the sink (and every request would detour through node).
export function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-blink-features=AutomationControlled',
      '--proxy-server=http://127.0.0.1:9'],
  });
}

const outside = (url) => /^(https?|wss?):/.test(url) && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);

export class Visit {
  /** A page of a fresh context; `blocked` collects every URL beyond loopback it asked for. */
  static async open(browser, blocked) {
    const visit = new Visit();
    visit.context = await browser.newContext({ userAgent: humanUserAgent });
    visit.context.on('request', (request) => {
      if (outside(request.url())) blocked.add(request.url());
    });
    visit.page = await visit.context.newPage();
    return visit;
  }

  /** Opens `url` and waits for the tracker's ready mark. */
  async load(url) {
    await this.page.goto(url);
    await this.page.waitForFunction(() => performance.getEntriesByName('tracker-ready').length > 0, null,
      { timeout: 30000 });
  }

  async marks() {
    return this.page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])));
  }

  /** Once the tracker is quiet, closes the page as a visitor closes the tab (pagehide, unload beacons). */
  async close(traffic, quietMs) {
    await traffic.settle(quietMs, 15000);
    await this.page.close();
    await traffic.settle(500, 5000);
    await this.context.close();
  }
}

/** Gzip (9) and brotli (11) bytes of one response body; an empty body weighs nothing. */
function weigh(url, body) {
  if (body.length === 0) return { file: new URL(url).pathname, bytes: 0, gzip: 0, brotli: 0 };
  return {
    file: new URL(url).pathname,
    bytes: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// The tracker's downloads: every response but the page itself and the event posts.
function recordDownloads(page) {
  const pending = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document' || isEventPost(response.url())) return;
    pending.push(response.body().then((body) => weigh(response.url(), body), () => weigh(response.url(), Buffer.alloc(0))));
  });
  return () => Promise.all(pending);
}

/**
 * A cold load: downloads, script start to buttons and to ready, the longest main-thread task from
 * navigation to ready + 500 ms, then the requests and bytes of the whole page view.
 */
export async function measureLoad({ browser, blocked, traffic }, tracker, url) {
  const visit = await Visit.open(browser, blocked);
  const downloads = recordDownloads(visit.page);
  traffic.reset();
  await browser.startTracing(undefined, { categories });
  await visit.load(url);
  await visit.page.waitForTimeout(500);
  const marks = await visit.marks();
  const trace = new PageTrace(await browser.stopTracing(), marks, 'tracker-ready');
  const start = trace.scriptStart(new URL(`/${tracker.script}`, url).href);
  const files = await downloads();
  await visit.close(traffic, tracker.quietMs);
  return {
    files,
    gzip: files.reduce((sum, file) => sum + file.gzip, 0),
    brotli: files.reduce((sum, file) => sum + file.brotli, 0),
    buttonsMs: marks.buttons === undefined ? null : marks.buttons - start,
    readyMs: marks['tracker-ready'] - start,
    longestTaskMs: trace.longestTask(0, marks['tracker-ready'] + 500),
    view: { requests: traffic.requests, bytes: traffic.bytes },
  };
}

/** A page view with `count` events sent through the public API and flushed: requests and bytes in all. */
export async function measureEvents({ browser, blocked, traffic }, tracker, url, count) {
  const visit = await Visit.open(browser, blocked);
  traffic.reset();
  await visit.load(url);
  await traffic.settle(1000, 15000);
  await visit.page.evaluate((n) => {
    for (let i = 0; i < n; i++) bench.event(i);
    bench.flush();
  }, count);
  await visit.close(traffic, tracker.quietMs);
  return { requests: traffic.requests, bytes: traffic.bytes };
}

// The page's side of measureEnqueue: returns once every call's outcome is known. The heartbeat's
// longest gap so far stays readable in window.benchRun should the run outlive its cap.
async function enqueueInPage(count) {
  const run = { longestGap: 0 };
  window.benchRun = run;
  let last = performance.now();
  let beating = true;
  const beat = () => {
    const now = performance.now();
    run.longestGap = Math.max(run.longestGap, now - last);
    last = now;
    if (beating) setTimeout(beat, 0);
  };
  setTimeout(beat, 0);
  performance.mark('enqueue-start');
  const start = performance.now();
  const results = new Array(count);
  for (let i = 0; i < count; i++) results[i] = bench.event(i);
  // A tracker whose calls return promises is done when they settle; others when the work their
  // calls queued (microtasks included) lets the next macrotask run.
  const outcomes = results[0] instanceof Promise ? await Promise.allSettled(results)
    : await new Promise((resolve) => setTimeout(() => resolve([]), 0));
  const elapsedMs = performance.now() - start;
  performance.mark('enqueue-end');
  await new Promise((resolve) => setTimeout(resolve, 50));  // the heartbeat's next beat
  beating = false;
  bench.flush();
  return { elapsedMs, longestGap: run.longestGap, rejected: outcomes.filter((o) => o.status === 'rejected').length };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `n` calls in one synchronous loop, timed until every returned promise settled (or the next
 * macrotask ran), with a setTimeout heartbeat running meanwhile; then flushed, and the bench events
 * that reached the collector or sink counted. A run still going after `capMs` is abandoned.
 */
export async function measureEnqueue({ browser, blocked, traffic }, tracker, url, n, capMs) {
  const visit = await Visit.open(browser, blocked);
  await visit.load(url);
  await traffic.settle(1000, 15000);
  traffic.reset();
  await browser.startTracing(undefined, { categories });
  const evaluation = visit.page.evaluate(enqueueInPage, n);
  let timer;
  const run = await Promise.race([evaluation, new Promise((resolve) => { timer = setTimeout(resolve, capMs, null); })]);
  clearTimeout(timer);
  if (!run) {
    evaluation.catch(() => {});  // it fails as its page closes
    return abandon({ browser, traffic }, visit, capMs);
  }
  const marks = await visit.marks();
  const trace = new PageTrace(await browser.stopTracing(), marks, 'enqueue-end');
  await visit.close(traffic, tracker.quietMs);
  return {
    capped: false,
    perSecond: n / (run.elapsedMs / 1000),
    longestTaskMs: trace.longestTask(marks['enqueue-start'], marks['enqueue-end']),
    heartbeatGapMs: run.longestGap,
    rejected: run.rejected,
    delivered: traffic.delivered,
    queueOverflow: traffic.queueOverflow,
  };
}

// A run past its cap. A page that still answers is waiting (on its collector, say), not frozen:
// its longest task and heartbeat gap so far count. A frozen page is closed first, or it would go
// on filling the trace (and the console) while the trace is read.
async function abandon({ browser, traffic }, visit, capMs) {
  const sofar = await Promise.race([
    visit.page.evaluate(() => ({ gap: window.benchRun.longestGap, now: performance.now() })).catch(() => null),
    sleep(2000).then(() => null),
  ]);
  let longestTaskMs = null;
  if (sofar) {
    const marks = await visit.marks();
    longestTaskMs = new PageTrace(await browser.stopTracing(), marks, 'enqueue-start').longestTask(marks['enqueue-start'], sofar.now);
    await visit.context.close();
  } else {
    await visit.context.close();
    await browser.stopTracing();
  }
  return { capped: true, capMs, longestTaskMs, heartbeatGapMs: sofar?.gap ?? null, delivered: traffic.delivered,
    queueOverflow: traffic.queueOverflow };
}
