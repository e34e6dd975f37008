// The dashboard in headless Chromium against the real collector, seeded with a generated share
// world (build/native/tests/sharetrack_seed): every figure on the page equals the query API's
// answer, wrong tokens are refused, erasure from the page takes the visitor off the leaderboard,
// nothing is asked of another host, and screenshots at 1280 and 390 px are kept as artifacts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';
import { root, until } from './harness.mjs';

const acmeToken = 'acme-token-0123456789abcdef';
const globexToken = 'globex-token-0123456789abcdef';
const artifacts = `${root}build/native/tests/artifacts`;
const dayMs = 86400000;
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

let folder, collector, origin, browser;

async function api(path, query = {}) {
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${origin}/v1/sites/acme/${path}${search ? `?${search}` : ''}`,
    { headers: { Authorization: `Bearer ${acmeToken}` } });
  assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
  return response.json();
}

// The range the page shows by default: the last 30 days, today included.
function defaultRange() {
  const today = Date.now() - (Date.now() % dayMs);
  return { from: today - 29 * dayMs, to: today + dayMs };
}

async function signedIn(width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const foreign = [];
  page.on('request', (request) => { if (!request.url().startsWith(origin)) foreign.push(request.url()); });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${origin}/dashboard/`);
  await page.fill('#site', 'acme');
  await page.fill('#token', acmeToken);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('#cascades .tree svg');
  return { page, foreign, errors };
}

const text = (page, selector) => page.locator(selector).first().innerText();

before(async () => {
  folder = mkdtempSync(`${tmpdir()}/sharetrack-dashboard-`);
  execFileSync(`${root}build/native/tests/sharetrack_seed`, [`${folder}/t.db`, 'acme', '4000', '7']);
  writeFileSync(`${folder}/sites.json`, JSON.stringify({ sites: [
    { id: 'acme', origins: ['https://www.acme.example'], accessTokens: [acmeToken] },
    { id: 'globex', origins: ['https://www.globex.example'], accessTokens: [globexToken] },
  ] }));
  collector = spawn(`${root}build/native/collector/sharetrack-collector`,
    ['--listen', '127.0.0.1:0', '--db', `${folder}/t.db`, '--sites', `${folder}/sites.json`,
      '--dashboard', `${root}collector/dashboard/dist`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let log = '';
  collector.stdout.on('data', (chunk) => { log += chunk; });
  const port = await until(() => log.match(/"port":(\d+)/)?.[1], 'the collector');
  origin = `http://127.0.0.1:${port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  mkdirSync(artifacts, { recursive: true });
});

after(async () => {
  await browser?.close();
  collector?.kill('SIGTERM');
  rmSync(folder, { recursive: true, force: true });
});

test('a wrong token and another site\'s token are refused with a clear message', async () => {
  const page = await browser.newPage();
  for (const [token, message] of [['not-a-token-of-anyone', 'not one of this collector\'s access tokens'],
    [globexToken, 'belongs to another site']]) {
    await page.goto(`${origin}/dashboard/`);  // a fresh form: no earlier message to mistake for this one
    await page.fill('#site', 'acme');
    await page.fill('#token', token);
    await page.click('form.signin button[type=submit]');
    await page.waitForSelector('form.signin .error');
    assert.match(await text(page, 'form.signin .error'), new RegExp(message));
  }
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  await page.close();
});

test('every figure on the page is the query API\'s answer', async () => {
  const { page, foreign, errors } = await signedIn();
  const range = defaultRange();
  const answer = await api('overview', range);
  const overview = answer.current;
  const cards = {
    'Viewable impressions': integer.format(overview.viewableImpressions),
    Shares: integer.format(overview.shares),
    'Counted clickbacks': integer.format(overview.countedClickbacks),
    'Conversions credited': integer.format(overview.creditedConversions),
    'Share rate': overview.shareRate === null ? '–' : `${decimal.format(overview.shareRate * 100)} %`,
    'Viral coefficient K': overview.viralCoefficient === null ? '–' : decimal.format(overview.viralCoefficient),
    'Largest cascade (visitors)': integer.format(overview.largestCascade?.size ?? 0),
  };
  assert.ok(overview.countedClickbacks > 50, 'the seeded world has clickbacks to show');
  for (const [card, value] of Object.entries(cards)) {
    assert.equal(await text(page, `[data-card="${card}"] .card-value`), value, card);
  }
  assert.equal(await text(page, '[data-funnel="Re-shares"]'), integer.format(overview.reshares));
  assert.equal(await text(page, '[data-card="Shares"] .card-previous'),
    `previous period: ${integer.format(answer.previous.figures.shares)}`);

  const { contents } = await api('contents', range);
  assert.equal(await page.locator('#contents tbody tr').count(), contents.length);
  for (const c of contents) {
    const row = `#contents tr[data-content="${c.content}"]`;
    assert.equal(await text(page, `${row} [data-field=viewable]`), integer.format(c.viewableImpressions), c.content);
    assert.equal(await text(page, `${row} [data-field=clickbacks]`), integer.format(c.countedClickbacks), c.content);
  }

  const { channels } = await api('channels', range);
  for (const c of channels) {
    assert.equal(await text(page, `#channels tr[data-channel="${c.channel}"] [data-field=shares]`), integer.format(c.shares));
    assert.equal(await text(page, `#channels tr[data-channel="${c.channel}"] [data-field=clickbacks]`),
      integer.format(c.countedClickbacks));
  }

  const { rows } = await api('leaderboard', { limit: 20 });
  const shown = await page.locator('#advocates tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.id));
  assert.deepEqual(shown, rows.map((r) => r.id));
  assert.equal(await text(page, `#advocates tr[data-id="${rows[0].id}"] [data-field=score]`), decimal.format(rows[0].score));

  const { cascades } = await api('cascades', { ...range, limit: 20 });
  const listed = await page.locator('#cascades tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.cascade));
  assert.deepEqual(listed, cascades.map((c) => c.id));
  assert.match(await text(page, '#cascades .tree-caption'), new RegExp(`${cascades[0].size} visitors, depth ${cascades[0].depth}`));

  const { verdicts, botPageViews } = await api('verdicts', range);
  for (const verdict of ['bot', 'self', 'own_chain', 'duplicate', 'waiting', 'suspicious']) {
    assert.equal(await text(page, `[data-verdict=${verdict}] .filtered-count`), integer.format(verdicts[verdict]), verdict);
  }
  assert.equal(await text(page, '[data-verdict=bot_page_views] .filtered-count'), integer.format(botPageViews));

  // Choosing a testimonial filters the page.
  const chosen = contents[0].content;
  await page.click(`#contents tr[data-content="${chosen}"] button`);
  await page.waitForSelector(`#contents tr.chosen[data-content="${chosen}"]`);
  const filtered = (await api('overview', { ...range, content: chosen })).current;
  assert.equal(await text(page, '[data-card="Shares"] .card-value'), integer.format(filtered.shares));

  assert.deepEqual(foreign, [], 'no request to another host');
  assert.deepEqual(errors, []);
  assert.ok(!page.url().includes(acmeToken), 'the token is never in a URL');
  await page.close();
});

test('values from events are shown as text, never run as markup', async () => {
  // The protocol refuses < > " ' & in ids, so the collector never sends them; a dashboard must not
  // rely on it. The answer is rewritten on its way to the page.
  const page = await browser.newPage();
  const hostile = '<img src=x onerror="window.pwned=1">t-1';
  await page.route('**/v1/sites/acme/contents?**', async (route) => {
    const answer = await (await route.fetch()).json();
    answer.contents[0].content = hostile;
    await route.fulfill({ json: answer });
  });
  await page.goto(`${origin}/dashboard/`);
  await page.fill('#site', 'acme');
  await page.fill('#token', acmeToken);
  await page.click('form.signin button[type=submit]');
  await page.waitForSelector('#contents tbody tr');
  assert.equal(await page.locator('#contents tbody tr').first().locator('th').innerText(), hostile);
  assert.equal(await page.locator('#contents img').count(), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.close();
});

test('erasure from the page takes the visitor off the leaderboard', async () => {
  const { page } = await signedIn();
  const { rows } = await api('leaderboard', { limit: 20 });
  const visitor = rows[0].id;
  page.once('dialog', (dialog) => dialog.accept());
  await page.fill('#erasure input', visitor);
  await page.click('#erasure button[type=submit]');
  await page.waitForSelector('#erasure [role=status]:has-text("deleted")');
  await until(async () => (await page.locator(`#advocates tr[data-id="${visitor}"]`).count()) === 0, 'the leaderboard to update');
  const after = await api('leaderboard', { limit: 100 });
  assert.ok(!after.rows.some((r) => r.id === visitor));
  await page.close();
});

test('screenshots at 1280 and 390 px', async () => {
  for (const width of [1280, 390]) {
    const { page, errors } = await signedIn(width);
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `nothing wider than ${width} px (${overflow} px too wide)`);
    await page.screenshot({ path: `${artifacts}/dashboard-${width}.png`, fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  }
});
