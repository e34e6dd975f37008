// The traffic simulator: a seeded population driven through the demo site in headless Chromium,
// each visitor in a browser context of their own, and the collector's query API compared with the
// ground truth of what they did (ground-truth.mjs, comparison.mjs).
//
// Who does what: seeds arrive directly or from the newsletter's email link (some say yes to having
// their shares counted for their subscription); visitors read testimonials (stops with the page
// still), watch the video whole or in part, share through every channel and through the address
// bar, in the page or in the embedded wall; friends open the links and share again, one chain
// forced to five hops; some reload, open their own link, open the same link twice, leave right
// after sharing, wander to another page, subscribe (a conversion); some links are opened by a bot
// that runs the page, and social ones are fetched by the networks' link unfurlers, which run none;
// at the end a few sharers come back through a link of their own cascade.
//
//   node demo/simulator/simulate.mjs [--visitors N] [--seed S] [--collector-outage]
// starts its own stack (demo/stack.mjs) on free ports, prints the comparison and exits 1 on any
// difference. scripts/demo --simulate N runs simulate() against the demo's stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { BrowserVisit } from './browser-visit.mjs';
import { compare, summaryTable, table } from './comparison.mjs';
import { GroundTruth } from './ground-truth.mjs';
import { readOptions } from '../options.mjs';
import { planPopulation } from './population.mjs';

const humanAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const botAgent = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const unfurlers = {
  x: 'Twitterbot/1.0', facebook: 'facebookexternalhit/1.1', linkedin: 'LinkedInBot/1.0', whatsapp: 'WhatsApp/2.23.20.0',
};
const PARALLEL = 4;
const OUTAGE_MS = 8000;

/**
 * Runs `visitors` simulated visitors against `stack` (its database empty) and compares. `log`
 * receives progress and the table. Resolves to { differences, rows, truth }.
 */
export async function simulate({ stack, visitors: population, seed = 1, outage = false, log = () => {} }) {
  const { people, returns } = planPopulation({ seed, visitors: population });
  const truth = new GroundTruth();
  for (const person of people.values()) truth.visitor(person.name, { bot: person.bot });
  // One browser per user agent: a beacon that outlives its page leaves without the context's
  // override, with the browser's own user agent.
  const launch = (userAgent) => chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-blink-features=AutomationControlled',
      '--autoplay-policy=no-user-gesture-required', `--user-agent=${userAgent}`] });
  const browsers = { human: await launch(humanAgent), bot: await launch(botAgent) };
  const storage = new Map();  // name -> what their browser kept, for their next visit
  const links = new Map();    // `${name}/${link}` -> the URL they shared
  const outageState = { at: null, until: null, done: null, touched: new Set() };
  let finished = 0;

  const beginOutage = () => {
    outageState.at = Date.now();
    log(`   collector stopped for ${OUTAGE_MS / 1000} s`);
    outageState.done = stack.stopCollector()
      .then(() => new Promise((resolve) => setTimeout(resolve, OUTAGE_MS)))
      .then(() => stack.startCollector())
      .then(() => {
        outageState.until = Date.now();
        log('   collector back');
      });
  };
  // A visit overlapping the outage at all may hold events whose sends failed: it comes back.
  const overlapsOutage = (from, to) => outageState.at !== null && outageState.at <= to
    && (outageState.until === null || from <= outageState.until);

  // A visit in the person's own browser context, with what their browser kept from before.
  const visit = async (person, script) => {
    const browsing = new BrowserVisit({ browser: person.bot ? browsers.bot : browsers.human, stack, truth,
      visitor: person.name, userAgent: person.bot ? botAgent : humanAgent, storageState: storage.get(person.name) });
    const from = Date.now();
    await browsing.start();
    try {
      await script(browsing);
    } finally {
      storage.set(person.name, await browsing.end());
      if (overlapsOutage(from, Date.now())) outageState.touched.add(person.name);
    }
  };

  // One person's session, as planned; each link shared lets that link's friends start.
  const session = async (person, entry) => {
    if (outage && outageState.at === null && finished >= Math.ceil(population / 3)) beginOutage();
    await visit(person, async (browsing) => {
      let tab = await browsing.open(entry);
      const script = person.script;
      if (!script) return browsing.close(tab);  // a crawler: the page runs, nothing more
      if (script.consent !== null) {
        await browsing.consent(tab, script.consent);
        if (script.consent) truth.subscribed(person.name, new URL(entry).searchParams.get('sub'));
      }
      if (script.wander) tab = await browsing.open(`${stack.origin}${script.wander}`, tab.page);
      for (const content of script.reads) await browsing.read(tab, content);
      if (script.video) await browsing.watch(tab, script.video === 'whole');
      if (script.reload) tab = await browsing.reload(tab);
      for (const [link, share] of script.shares.entries()) {
        await browsing.read(tab, share.content);
        const url = share.channel === 'addressbar' ? browsing.addressBar(tab)
          : await browsing.share(tab, share.content, share.channel);
        links.set(`${person.name}/${link}`, url);
        for (const friend of share.friends) ready.push({ person: people.get(friend), entry: url });
        if (unfurlers[share.channel]) {
          void fetch(url, { headers: { 'User-Agent': unfurlers[share.channel] } }).then((r) => r.arrayBuffer()).catch(() => {});
        }
        if (share.leave) return browsing.close(tab);
        if (share.openOwn) await browsing.open(url);
      }
      if (script.again) await browsing.open(entry);
      if (script.convert) await browsing.signUp(tab);
    });
    finished += 1;
    if (finished % 25 === 0) log(`   ${finished} of ${people.size} visitors done`);
  };

  const ready = [...people.values()].filter((p) => !p.inviter).map((person) => ({ person, entry: `${stack.origin}${person.entry}` }));
  const began = Date.now();
  try {
    await crowd(ready, ({ person, entry }) => session(person, entry));
    log(`   ${returns.length} sharers come back through a link of their own cascade`);
    await crowd([...returns], ({ name, through }) => visit(people.get(name),
      (browsing) => browsing.open(links.get(`${through.name}/${through.link}`))));
    await outageState.done;
    // Visitors whose pages closed while the collector was away, or with events no send carried,
    // come back once: their queued events go with their next page load.
    const sweep = [...people.keys()].filter((name) => outageState.touched.has(name) || holdsUnsent(storage.get(name)));
    if (sweep.length) log(`   ${sweep.length} visitors come back with events still queued`);
    await crowd(sweep, (name) => visit(people.get(name), (browsing) => browsing.drain()));
  } finally {
    await Promise.all(Object.values(browsers).map((browser) => browser.close()));
  }
  log(`   ${people.size} visitors in ${((Date.now() - began) / 1000).toFixed(0)} s; comparing with the collector`);

  // The collector acknowledges before its scores catch up: compare until equal, or give up.
  let result;
  for (const deadline = Date.now() + 60000; ;) {
    result = await compare(stack, truth);
    if (!result.differences || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  log(table(result));
  return { ...result, truth };
}

// Runs `run` over `queue`, PARALLEL at a time, taking items added to the queue while it runs.
function crowd(queue, run) {
  return new Promise((resolve, reject) => {
    let running = 0;
    let failed = false;
    const next = () => {
      if (failed) return;
      if (!queue.length && !running) return resolve();
      while (running < PARALLEL && queue.length) {
        running += 1;
        run(queue.shift()).then(() => {
          running -= 1;
          next();
        }, (error) => {
          failed = true;
          reject(error);
        });
      }
    };
    next();
  });
}

// Events waiting in the visitor's stored queues that no send has carried yet.
function holdsUnsent(storage) {
  return (storage?.origins ?? []).some((origin) => origin.localStorage.some(
    ({ name, value }) => name.includes(':q:') && /\ne \d+ 0 /.test(value)));
}

async function main() {
  const options = readOptions('simulate', process.argv.slice(2), { numbers: { '--visitors': 50, '--seed': 1 },
    flags: ['--collector-outage', '--summary'] });
  const visitors = options['--visitors'];
  const seed = options['--seed'];
  const outage = options['--collector-outage'] === true;
  const { freeStackPort, startStack } = await import('../stack.mjs');
  const folder = mkdtempSync(`${tmpdir()}/sharetrack-simulation-`);
  const stack = await startStack({ folder, port: await freeStackPort() });
  console.log(`simulating ${visitors} visitors (seed ${seed}${outage ? ', with a collector outage' : ''}) on ${stack.origin}`);
  let result;
  try {
    result = await simulate({ stack, visitors, seed, outage, log: console.log });
    if (options['--summary']) console.log(`\n${summaryTable(result.rows)}`);
  } finally {
    await stack.close();
    rmSync(folder, { recursive: true, force: true });
  }
  process.exit(result.differences ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
