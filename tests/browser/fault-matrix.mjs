// The fault matrix: visitors in headless Chromium, each in a browser context of their own, call
// `sharetrack.conversion(name, value)` with a value no other call has, so every row the collector
// stores names the call that made it, while faults strike between the page and the real collector
// (fault-proxy.mjs) or in the browser. Each fault alone, then all of them mixed at random (seeded);
// after each, everything heals and the collector's database says how many of the events produced
// were stored, lost and doubled. The proxy's log checks the retry schedule (Retry-After, the
// cooldown), each page's errors are collected, and the memory of a tab that lives through the
// whole mixed run is sampled. A queue at its cap drops its oldest events and reports how many in its
// next batch: those are counted apart ("dropped at the cap"), and only one row drives a queue there.
//
//   node tests/browser/fault-matrix.mjs [--events N (1500)] [--visitors V (4)] [--steps K (400)] [--seed S (1)]
//                                       [--only ROW (the rows whose name starts so)]
// is the long matrix (scripts/faults); tests/browser/faults.test.mjs runs a short one in the suite.
import { pathToFileURL } from 'node:url';
import { readOptions } from '../../demo/options.mjs';
import { stream } from '../../demo/simulator/random.mjs';
import { FaultProxy } from './fault-proxy.mjs';
import { serveFolder } from '../../demo/static-server.mjs';
import { Site, brokenStorage, freePort, humanUserAgent, until } from './harness.mjs';

/** The engine's timings in the matrix: short, so that faults, backoffs and cooldowns come and go quickly. */
export const timings = { flushAgeMs: 150, summaryIntervalMs: 300, persistIntervalMs: 100, backoffBaseMs: 100,
  backoffMaxMs: 400, cooldownAfterFailures: 5, cooldownMs: 2500, sendTimeoutMs: 1500 };
const HANG_MS = 2500;        // a hung answer outlives the widget's send timeout
const RETRY_AFTER_S = 2;     // what the proxy's 429s ask for
const CROSS_TAB_MS = 1000;   // how long another tab of the visitor may take to hear of a failure
const CLOCK_MS = 20;         // the page's and the proxy's clocks, read at slightly different moments

const CAPPED_QUEUE = 200;    // the queue's capacity on capped.html, the page of the row that fills it

const widgetPage = (site, proxy, file, engine) => site.modulePage(file, { collector: proxy.origin, engine },
  '<sharetrack-widget content-id="faults-1" title="Ann on Acme"><p>Acme changed how we work.</p></sharetrack-widget>');

class Visitor {
  constructor(matrix, name, context, page) {
    Object.assign(this, { matrix, name, context, page, tabs: new Set(), offline: false, orphans: false });
  }

  /** A new tab on the widget's page, ready. */
  async open() {
    const tab = await this.context.newPage();
    tab.on('pageerror', (error) => this.matrix.errors.push(`${this.name}: ${error.message}`));
    tab.on('crash', () => {  // a crash takes every tab its renderer process held
      this.tabs.delete(tab);
      this.orphans = true;
    });
    await tab.goto(`${this.matrix.pages}/${this.page}`);
    await tab.evaluate(() => window.sharetrack.ready());
    this.tabs.add(tab);
    return tab;
  }

  async anyTab() {
    return [...this.tabs][0] ?? this.open();
  }

  /** `count` conversions in a row in `tab`; the ones whose promise resolved are produced. */
  async produce(tab, count) {
    const values = this.matrix.nextValues(count);
    const settled = await tab.evaluate(({ name, values }) => Promise.allSettled(values.map(
      (value) => window.sharetrack.conversion(name, value))).then((all) => all.map((o) => o.status === 'fulfilled')),
    { name: this.matrix.name, values });
    values.forEach((value, i) => (settled[i] ? this.matrix.produced : this.matrix.refused).push(value));
  }

  /** Closes `tab` with whatever it has queued or in flight. */
  async close(tab) {
    this.tabs.delete(tab);
    this.orphans = true;
    await tab.close();
  }

  /** Kills `tab`'s renderer, as a crash does. */
  async crash(tab) {
    const crashed = new Promise((resolve) => tab.once('crash', resolve));
    const cdp = await this.context.newCDPSession(tab);
    void cdp.send('Page.crash').catch(() => {});  // no answer comes: the renderer is gone
    await crashed;
    await tab.close().catch(() => {});
  }

  /** Leaves `tab` for another page of the site: into the bfcache when it can. */
  async leave(tab) {
    await tab.goto(`${this.matrix.pages}/elsewhere.html`);
  }

  /** Back to the widget's page in `tab` with the browser's Back: from the bfcache when it can. */
  async comeBack(tab) {
    await tab.goBack({ waitUntil: 'commit' });  // a page restored from the bfcache never loads again
    await tab.waitForFunction(() => window.sharetrackShownFromCache !== undefined);
    const restored = await tab.evaluate(() => window.sharetrackShownFromCache);
    this.matrix.bfcache[restored ? 'restored' : 'reloaded'] += 1;
    if (!restored) await tab.evaluate(() => window.sharetrack.ready());
  }

  async backAndForth(tab) {
    await this.leave(tab);
    await this.comeBack(tab);
  }

  async setOffline(offline) {
    this.offline = offline;
    await this.context.setOffline(offline);
  }
}

export class FaultMatrix {
  // The pages come from a server of their own, as a brand's do: they load while the collector is down.
  static async start() {
    const pagesPort = await freePort();
    const pages = `http://127.0.0.1:${pagesPort}`;
    const site = await Site.start({ origins: [pages] }, { ignoreDefaultArgs: ['--disable-back-forward-cache'] });
    const proxy = await FaultProxy.start({ collector: site.origin, hangMs: HANG_MS, retryAfterSeconds: RETRY_AFTER_S });
    widgetPage(site, proxy, 'faults.html', timings);
    widgetPage(site, proxy, 'capped.html', { ...timings, queueCapacity: CAPPED_QUEUE });
    site.write('elsewhere.html', '', '<p>Another page of the site, without the widget.</p>');
    const server = await serveFolder({ folder: `${site.folder}/static`, port: pagesPort });
    return new FaultMatrix(site, proxy, server, pages);
  }

  constructor(site, proxy, server, pages) {
    Object.assign(this, { site, proxy, server, pages, value: 0, rows: [] });
  }

  async close() {
    await this.proxy.close();
    await new Promise((resolve) => {
      this.server.close(resolve);
      this.server.closeAllConnections();
    });
    await this.site.close();
  }

  nextValues(count) {
    return Array.from({ length: count }, () => ++this.value);
  }

  async visitor(index, { storage = null, page = 'faults.html' } = {}) {
    // The agent names the visitor in the proxy's log (but for beacons, which go with the browser's own).
    const context = await this.site.browser.newContext({ userAgent: `${humanUserAgent} matrix/${this.name}/v${index}` });
    await context.addInitScript(() => {
      addEventListener('pageshow', (event) => {
        window.sharetrackShownFromCache = event.persisted;
      });
      // The memories of the modules the page instantiates (the engine's), for memoryOf.
      window.wasmMemories = [];
      const keep = (result) => {
        const exported = Object.values((result.instance ?? result).exports).filter((e) => e instanceof WebAssembly.Memory);
        window.wasmMemories.push(...exported);
        return result;
      };
      for (const name of ['instantiate', 'instantiateStreaming']) {
        const original = WebAssembly[name];
        WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
      }
    });
    if (storage) await context.addInitScript(brokenStorage[storage]);
    const visitor = new Visitor(this, `${this.name}/v${index}`, context, page);
    this.visitors.push(visitor);
    return visitor;
  }

  /**
   * Runs one row of the table: `play(matrix)` produces events under a fault; then every fault
   * heals, each visitor's tabs flush (a visitor with closed or crashed tabs opens a new one, which
   * adopts their queues), and the database is read until every produced event is there or 60 s
   * have passed. `exact`: one tab per visitor and immediate answers, so the proxy's log shows the
   * failures in the order the engine counts them and the cooldown can be checked. `cap`: whether
   * a queue 'never', 'may' or 'must' reach its cap in this row.
   */
  async row(name, play, { exact = false, tabs = 1, cap = 'never' } = {}) {
    Object.assign(this, { name: `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`, produced: [], refused: [], errors: [], visitors: [],
      bfcache: { restored: 0, reloaded: 0 }, memory: null });
    const logFrom = this.proxy.log.length;
    const began = Date.now();
    await play(this);
    this.proxy.set('pass');
    await this.site.startCollectorIfStopped();
    for (const visitor of this.visitors) {
      if (visitor.offline) await visitor.setOffline(false);
      if (visitor.orphans || !visitor.tabs.size) await visitor.open();
      for (const tab of visitor.tabs) await tab.evaluate(() => window.sharetrack.flush());
    }
    const stored = () => this.site.query(`SELECT conversion_value AS v, COUNT(*) AS n FROM events
      WHERE type = 'conversion' AND conversion_name = '${this.name}' GROUP BY conversion_value`);
    // What the row's queues dropped at their cap, as their batches reported it (of any event type:
    // a page view's summary may be among them).
    const reported = () => this.site.query(`SELECT COALESCE(SUM(queue_overflow), 0) AS n FROM batches
      WHERE visitor IN (SELECT visitor FROM events WHERE conversion_name = '${this.name}')`)[0].n;
    await until(() => stored().length + reported() >= this.produced.length, `${name}: every event stored or dropped`,
      60000).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 1000));  // time for a double to arrive
    const rows = stored();
    const log = this.proxy.log.slice(logFrom);
    for (const visitor of this.visitors) await visitor.context.close();
    const produced = new Set(this.produced);
    const kept = rows.filter((r) => produced.has(r.v)).length;
    const dropped = Math.min(produced.size - kept, reported());
    const row = {
      fault: name,
      visitors: this.visitors.length,
      tabs,
      cap,
      produced: produced.size,
      stored: kept,
      dropped,
      lost: produced.size - kept - dropped,
      doubled: rows.reduce((sum, r) => sum + r.n - 1, 0),
      unknown: rows.filter((r) => !produced.has(r.v)).length,
      refused: this.refused.length,
      batches: log.length,
      faulted: log.filter((entry) => entry.fault !== 'pass' || entry.status === 'down').length,
      schedule: scheduleViolations(log, exact),
      errors: this.errors,
      bfcache: this.bfcache,
      memory: this.memory,
      seconds: (Date.now() - began) / 1000,
    };
    this.rows.push(row);
    return row;
  }
}

/** A tab's JavaScript heap after a collection, and its WebAssembly memories (the engine's). */
async function memoryOf(context, tab) {
  const cdp = await context.newCDPSession(tab);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  const wasm = await tab.evaluate(() => window.wasmMemories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0));
  return { js: usedSize, wasm };
}

/** `fault` for a share `p` of the batches, the others passed on. */
export const sometimes = (rng, fault, p) => () => (rng.chance(p) ? fault : 'pass');

/** `count` events in `bursts` bursts spread over the visitors' tabs, `pauseMs` apart. */
export async function bursts(matrix, count, { bursts: times = 6, pauseMs = 150, during = null } = {}) {
  const tabs = [];
  for (const visitor of matrix.visitors) for (const tab of visitor.tabs) tabs.push([visitor, tab]);
  const slots = times * tabs.length;
  const share = (slot) => Math.floor((count * (slot + 1)) / slots) - Math.floor((count * slot) / slots);
  for (let burst = 0; burst < times; burst++) {
    await Promise.all(tabs.map(([visitor, tab], i) => visitor.produce(tab, share(burst * tabs.length + i))));
    if (during) await during(burst);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/**
 * Batches that came sooner than the schedule allows: within a Retry-After, or within the cooldown
 * that `timings.cooldownAfterFailures` failures in a row earn (checked when `exact`). Another tab
 * of the visitor hears of a failure through storage, so a send within CROSS_TAB_MS is not counted,
 * and an acceptance after the refusal ends the wait.
 */
export function scheduleViolations(log, exact) {
  const violations = [];
  const byVisitor = new Map();
  for (const entry of log) {
    if (!entry.visitor || entry.status === null) continue;
    if (!byVisitor.has(entry.visitor)) byVisitor.set(entry.visitor, []);
    const entries = byVisitor.get(entry.visitor);
    // Chromium itself sends a request again, once, when a kept-alive connection drops before any
    // answer: the same batch, one attempt for the engine, which hears the last answer only.
    const first = entries.find((e) => e.batch === entry.batch);
    if (first) Object.assign(first, { at: entry.at, status: entry.status, retryAfter: entry.retryAfter });
    else entries.push({ ...entry });
  }
  for (const entries of byVisitor.values()) {
    entries.sort((a, b) => a.at - b.at);
    let failures = 0;
    let holdUntil = 0;
    let holdFrom = 0;
    let why = '';
    for (const entry of entries) {
      const arrived = entry.arrivedAt;
      if (arrived > holdFrom && arrived < holdUntil - CLOCK_MS) {
        violations.push(`${entry.agent.split(' ').at(-1)}: batch ${entry.batch} came ${holdUntil - arrived} ms ` +
          `before the end of ${why}`);
      }
      if (entry.beacon) continue;  // nobody reads a beacon's answer
      failures = entry.status === 200 ? 0 : failures + 1;
      // With tabs at once, a batch another tab had in flight may be accepted after the refusal: the
      // collector's latest word wins, in the engine as here.
      if (!exact && entry.status === 200) holdUntil = 0;
      if (entry.retryAfter) {
        [holdFrom, holdUntil, why] = [entry.at + (exact ? 0 : CROSS_TAB_MS), entry.at + entry.retryAfter * 1000,
          'a Retry-After'];
      }
      if (exact && failures >= timings.cooldownAfterFailures) {
        [holdFrom, holdUntil, why] = [entry.at, Math.max(holdUntil, entry.at + timings.cooldownMs), 'a cooldown'];
      }
    }
  }
  return violations;
}

/** The faults of the matrix, each alone; `events` per row, over `visitors` visitors. */
export function aloneRows({ events, visitors, seed }) {
  const rng = stream(seed, 'alone');
  const everyone = async (matrix, options = {}) => {
    for (let i = 0; i < visitors; i++) await (await matrix.visitor(i, options)).open();
  };
  const proxied = (fault, p) => [fault, async (matrix) => {
    await everyone(matrix);
    matrix.proxy.set(sometimes(rng, fault, p));
    await bursts(matrix, events);
  }, { exact: !['hang', 'lost-answer'].includes(fault) }];
  return [
    proxied('500', 0.6),
    proxied('503', 0.6),
    proxied('429', 0.5),
    proxied('hang', 0.5),
    proxied('reset', 0.6),
    proxied('lost-answer', 0.6),
    ['collector SIGKILL', async (matrix) => {
      await everyone(matrix);
      await bursts(matrix, events, { during: async (burst) => {
        if (burst === 1) await matrix.site.stopCollector('SIGKILL');
        if (burst === 3) await matrix.site.startCollector();
      } });
    }, { exact: true }],
    ['offline', async (matrix) => {
      await everyone(matrix);
      await bursts(matrix, events, { during: async (burst) => {
        for (const visitor of matrix.visitors) if (burst === 1 || burst === 4) await visitor.setOffline(burst === 1);
      } });
    }],
    ...['disabled', 'full'].map((storage) => [`storage ${storage}`, async (matrix) => {
      await everyone(matrix, { storage });
      matrix.proxy.set(sometimes(rng, '503', 0.5));
      await bursts(matrix, events);
    }, { exact: true }]),
    ['tab closed mid-send', async (matrix) => {
      await everyone(matrix);
      matrix.proxy.set('hang');
      await bursts(matrix, events, { bursts: 3 });
      for (const visitor of matrix.visitors) {
        const tab = await visitor.anyTab();
        await until(() => matrix.proxy.held.size > 0, 'a send in flight');
        await visitor.close(tab);
      }
    }],
    ...[2, 3].map((count) => [`${count} tabs at once`, async (matrix) => {
      await everyone(matrix);
      for (const visitor of matrix.visitors) for (let i = 1; i < count; i++) await visitor.open();
      matrix.proxy.set(sometimes(rng, '503', 0.4));
      await bursts(matrix, events);
    }, { tabs: count }]),
    ['tab crashed with events queued', async (matrix) => {
      await everyone(matrix);
      matrix.proxy.set('503');
      await bursts(matrix, events, { bursts: 3 });
      await new Promise((resolve) => setTimeout(resolve, 300));  // localStorage reaches the browser process
      for (const visitor of matrix.visitors) await visitor.crash(await visitor.anyTab());
    }],
    ['back/forward cache', async (matrix) => {
      await everyone(matrix);
      matrix.proxy.set(sometimes(rng, '503', 0.4));
      await bursts(matrix, events, { during: async () => {
        for (const visitor of matrix.visitors) await visitor.backAndForth(await visitor.anyTab());
      } });
    }],
    // A page in the bfcache hears no storage event: back, it must read what another tab of the
    // visitor learnt meanwhile (here a Retry-After) before it sends.
    ['back/forward cache during a Retry-After', async (matrix) => {
      await everyone(matrix);
      const tabs = [];
      for (const visitor of matrix.visitors) tabs.push([visitor, await visitor.anyTab(), await visitor.open()]);
      for (const [visitor, , away] of tabs) await visitor.leave(away);
      const from = matrix.proxy.log.length;
      matrix.proxy.set('429');
      for (const [visitor, here] of tabs) await visitor.produce(here, Math.ceil(events / 2 / visitors));
      await until(() => matrix.proxy.log.slice(from).filter((e) => e.retryAfter).length >= visitors, 'a 429 each');
      matrix.proxy.set('pass');
      await new Promise((resolve) => setTimeout(resolve, CROSS_TAB_MS + 200));  // past the other tabs' slack
      for (const [visitor, , away] of tabs) await visitor.comeBack(away);
      for (const [visitor, , away] of tabs) await visitor.produce(away, Math.ceil(events / 2 / visitors));
    }, { tabs: 2 }],
    // The collector refuses everything while each visitor makes more events than their queue holds:
    // between sends (the backoff, the cooldown) the queue drops its oldest and says how many.
    [`queue past its cap (${CAPPED_QUEUE})`, async (matrix) => {
      await everyone(matrix, { page: 'capped.html' });
      matrix.proxy.set('503');
      await bursts(matrix, Math.max(events, 3 * CAPPED_QUEUE * visitors), { bursts: 12 });
    }, { exact: true, cap: 'must' }],
  ];
}

/**
 * Every fault mixed at random over `steps` steps: the proxy's answers drawn per batch from a mix
 * that changes, the collector killed and restarted, visitors offline and back, tabs opened, closed
 * mid-send, crashed and sent through the back/forward cache, one visitor without storage. The first
 * tab of the first visitor lives through it all: its memory is sampled.
 */
export function mixedRow({ events, visitors, steps, seed }) {
  const rng = stream(seed, 'mixed');
  return [`mixed (seed ${seed})`, async (matrix) => {
    for (let i = 0; i < visitors; i++) await (await matrix.visitor(i, { storage: i === 1 ? 'disabled' : null })).open();
    const keeper = matrix.visitors[0];
    const kept = await keeper.anyTab();
    const sample = () => memoryOf(keeper.context, kept);
    const perStep = Math.max(1, Math.round(events / steps));
    let down = false;
    let memoryAtQuarter = 0;
    for (let step = 0; step < steps; step++) {
      if (step === Math.floor(steps / 4)) memoryAtQuarter = await sample();
      const visitor = rng.pick(matrix.visitors);
      // A page without storage loses its queue when it goes (closed, crashed, or left without the
      // bfcache); a crash may take the visitor's other tabs with it (one renderer), so not the keeper's.
      const keepsData = visitor !== matrix.visitors[1];
      const action = rng.weighted({ produce: 60, mix: 8, collector: 3, offline: 4, open: 5, close: keepsData ? 3 : 0,
        crash: keepsData && visitor !== keeper ? 2 : 0, bfcache: keepsData ? 3 : 0, pause: 5 });
      const tabs = [...visitor.tabs].filter((tab) => tab !== kept);
      if (action === 'produce') {
        const tab = rng.pick([...visitor.tabs]) ?? (visitor.offline ? null : await visitor.open());
        if (tab) await visitor.produce(tab, rng.int(1, 2 * perStep));
      } else if (action === 'mix') {
        const p = rng.pick([0, 0.2, 0.5, 0.9]);
        const fault = rng.pick(['500', '503', '429', 'hang', 'reset', 'lost-answer']);
        matrix.proxy.set(sometimes(rng, fault, p));
      } else if (action === 'collector') {
        if (down) await matrix.site.startCollector();
        else await matrix.site.stopCollector('SIGKILL');
        down = !down;
      } else if (action === 'offline') {
        await visitor.setOffline(!visitor.offline);
      } else if (action === 'open' && visitor.tabs.size < 3 && !visitor.offline) {
        await visitor.open();
      } else if (action === 'close' && tabs.length) {
        await visitor.close(rng.pick(tabs));
      } else if (action === 'crash' && tabs.length) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await visitor.crash(rng.pick(tabs));
      } else if (action === 'bfcache' && visitor.tabs.size && !visitor.offline) {
        await visitor.backAndForth(rng.pick([...visitor.tabs]));
      } else {
        await new Promise((resolve) => setTimeout(resolve, rng.int(50, 600)));
      }
    }
    matrix.proxy.set('pass');
    await matrix.site.startCollectorIfStopped();
    await keeper.setOffline(false);
    await kept.evaluate(() => window.sharetrack.flush());
    matrix.memory = { atQuarter: memoryAtQuarter, atEnd: await sample() };
  }, { tabs: '1-3', cap: 'may' }];
}

/**
 * Whether the kept tab's memory stayed bounded: the queue's cap and the dedupe memory's bound hold
 * the engine's state, so from a quarter of the mixed run to its end neither the JavaScript heap nor
 * the WebAssembly memory may grow by more than the queue at its cap (1,000 events: about 0.3 MB)
 * with room for the garbage collector's timing.
 */
export function memoryBounded({ atQuarter, atEnd }) {
  return atEnd.js <= atQuarter.js + 4 * 1048576 && atEnd.wasm <= atQuarter.wasm + 2 * 1048576;
}

/** Whether the events dropped at a queue's cap are what the row allows ('must': some, 'never': none). */
export const capKept = (row) => (row.cap === 'must' ? row.dropped > 0 : row.cap === 'may' || row.dropped === 0);

/**
 * What must hold for a row: every event stored once or dropped at the cap where the row allows it
 * (and reported), the schedule kept, no page error.
 */
export function rowHolds(row) {
  return !row.lost && !row.doubled && !row.unknown && !row.refused && capKept(row) && !row.schedule.length
    && !row.errors.length && (!row.memory || memoryBounded(row.memory));
}

/** The table of the closing note and of the suite's log. */
export function table(rows) {
  const head = '| fault | visitors × tabs | produced | stored | dropped at the cap | lost | doubled | batches (faulted) ' +
    '| schedule | page errors | s |';
  const line = (r) => `| ${r.fault} | ${r.visitors} × ${r.tabs} | ${r.produced} | ${r.stored} | ${r.dropped} | ${r.lost} | ${r.doubled} | ` +
    `${r.batches} (${r.faulted}) | ${r.schedule.length ? `${r.schedule.length} early` : 'kept'} | ${r.errors.length} | ` +
    `${r.seconds.toFixed(0)} |`;
  const restored = rows.reduce((sum, r) => sum + r.bfcache.restored, 0);
  const reloaded = rows.reduce((sum, r) => sum + r.bfcache.reloaded, 0);
  const { memory } = rows.at(-1);
  const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
  return [head, `|${' --- |'.repeat(11)}`, ...rows.map(line), '',
    `Back/forward: ${restored} pages restored from the bfcache, ${reloaded} loaded again.`,
    memory ? `The tab that lived through the mixed run: JavaScript heap ${mb(memory.atQuarter.js)} at a quarter, ` +
      `${mb(memory.atEnd.js)} at the end; WebAssembly memory ${mb(memory.atQuarter.wasm)}, then ${mb(memory.atEnd.wasm)}.` : '',
  ].join('\n');
}

/** Runs the alone rows and the mixed row; resolves to the rows. */
export async function runMatrix({ events, visitors, steps, seed, only = null, log = () => {} }) {
  const rows = [...aloneRows({ events, visitors, seed }), mixedRow({ events: events * 4, visitors: visitors + 1, steps, seed })]
    .filter(([name]) => !only || name.startsWith(only));
  const matrix = await FaultMatrix.start();
  try {
    for (const [name, play, options] of rows) {
      const row = await matrix.row(name, play, options);
      log(`   ${name}: ${row.produced} produced (${row.refused} refused), ${row.stored} stored, ` +
        `${row.dropped} dropped at the cap, ${row.lost} lost, ` +
        `${row.doubled} doubled, ${row.schedule.length} early, ${row.errors.length} page errors (${row.seconds.toFixed(0)} s)`);
      for (const problem of [...row.schedule, ...row.errors].slice(0, 5)) log(`      ${problem}`);
    }
  } finally {
    await matrix.close();
  }
  return matrix.rows;
}

async function main() {
  const read = readOptions('fault-matrix', process.argv.slice(2), {
    numbers: { '--events': 1500, '--visitors': 4, '--steps': 400, '--seed': 1 }, texts: ['--only'] });
  const options = { events: read['--events'], visitors: read['--visitors'], steps: read['--steps'], seed: read['--seed'],
    only: read['--only'] ?? null };
  console.log(`fault matrix: ${options.events} events a row over ${options.visitors} visitors, ` +
    `mixed ${options.steps} steps, seed ${options.seed}`);
  const rows = await runMatrix({ ...options, log: console.log });
  console.log(`\n${table(rows)}`);
  process.exit(rows.every(rowHolds) ? 0 : 1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
