// <sharetrack-widget> in headless Chromium (Debian's, driven by playwright-core), on pages served
// by the real collector, which stores what the widget posts in a real SQLite file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Site, share, tokenPattern, until } from './harness.mjs';

const friendsToken = 'BIAAD6AEjRWeJq83veg0b';  // a first share through x (tests/vectors/tokens.json)

let site;
let origin;
const query = (sql) => site.query(sql);
const visitor = () => site.visitor();

before(async () => {
  site = await Site.start();
  origin = site.origin;
  site.scriptTagPage('index.html');
  site.scriptTagPage('strict.html', { csp: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" });
  site.scriptTagPage('no-wasm.html', { csp: "default-src 'self'; script-src 'self' 'unsafe-inline'" });
  site.scriptTagPage('xss.html', { quote: '&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;' });
});

after(() => site?.close());

test('the element renders its testimonial and a labelled button per channel', async () => {
  const { context, page: tab } = await visitor();
  await tab.goto(`${origin}/index.html`);
  const labels = await tab.locator('sharetrack-widget button').evaluateAll((buttons) =>
    buttons.map((b) => [b.dataset.channel, b.getAttribute('aria-label') ?? b.textContent]));
  const channels = labels.map(([channel]) => channel).filter((c) => c !== 'native');
  assert.deepEqual(channels, ['copy', 'x', 'facebook', 'linkedin', 'whatsapp', 'email']);
  assert.ok(labels.every(([, label]) => label && label.length > 1));
  assert.equal(await tab.locator('sharetrack-widget p').first().textContent(), 'Acme changed how we work.');
  await context.close();
});

test('a share yields a URL with a valid token and a share event stored by the collector', async () => {
  const { context, page: tab } = await visitor();
  await tab.goto(`${origin}/index.html`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const detail = await share(tab, 'copy');
  assert.equal(detail.channel, 'copy');
  const [, token] = detail.url.match(tokenPattern) ?? [];
  assert.ok(token, `no token in ${detail.url}`);
  assert.equal(detail.token, token);
  await tab.evaluate(() => window.sharetrack('flush'));
  const rows = await until(() => {
    const found = query(`SELECT type, channel, content, bot FROM events WHERE token = '${token}' AND type = 'share'`);
    return found.length ? found : null;
  }, 'the share event');
  assert.deepEqual(rows, [{ type: 'share', channel: 'copy', content: 't-42', bot: 0 }]);
  await context.close();
});

test('a click made before the engine is ready is kept and no third party is contacted', async () => {
  const { context, page: tab } = await visitor();
  const hosts = new Set();
  tab.on('request', (request) => hosts.add(new URL(request.url()).origin));
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await tab.route('**/sharetrack_engine.wasm', async (route) => {
    await held;  // the engine arrives late: the visitor has already clicked
    await route.continue();
  });
  await tab.goto(`${origin}/index.html`);
  await tab.waitForFunction(() => customElements.get('sharetrack-widget'));
  const detail = share(tab, 'copy');
  await new Promise((resolve) => setTimeout(resolve, 300));
  release();
  const { url } = await detail;
  assert.match(url, tokenPattern);
  assert.deepEqual([...hosts], [origin]);
  await context.close();
});

test('a landing with a token stores one clickback across three reloads and leaves the visitor\'s own token', async () => {
  const { context, page: tab } = await visitor();
  await tab.goto(`${origin}/index.html?a=1&st=${friendsToken}#quote`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const address = await tab.evaluate(() => location.href);
  const [, own] = address.match(tokenPattern) ?? [];
  assert.ok(own, `no own token in ${address}`);
  assert.notEqual(own, friendsToken);
  assert.ok(address.startsWith(`${origin}/index.html?a=1&st=`) && address.endsWith('#quote'));
  for (let i = 0; i < 3; i++) {
    await tab.reload();
    await tab.evaluate(() => window.sharetrack('ready'));
    assert.equal(await tab.evaluate(() => location.href), address);
  }
  await tab.evaluate(() => window.sharetrack('flush'));
  await until(() => query(`SELECT 1 FROM events WHERE type = 'clickback' AND token = '${friendsToken}'`).length,
    'the clickback');
  await tab.evaluate(() => window.sharetrack('flush'));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(query(`SELECT COUNT(*) AS n FROM events WHERE type = 'clickback' AND token = '${friendsToken}'`)[0].n, 1);
  await context.close();
});

test('under a strict CSP with wasm-unsafe-eval the engine runs and shares are tracked', async () => {
  const { context, page: tab } = await visitor();
  const errors = [];
  tab.on('console', (message) => message.type() === 'warning' && errors.push(message.text()));
  await tab.goto(`${origin}/strict.html`);
  await tab.waitForFunction(() => customElements.get('sharetrack-widget'));
  const detail = await share(tab, 'copy');
  assert.match(detail.url, tokenPattern);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a CSP without wasm-unsafe-eval still lets the visitor share and raises one sharetrack:error', async () => {
  const { context, page: tab } = await visitor();
  const warnings = [];
  tab.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
  await tab.addInitScript(() => {
    window.shareTrackErrors = [];
    document.addEventListener('sharetrack:error', (event) => window.shareTrackErrors.push(event.detail.code));
  });
  await tab.goto(`${origin}/no-wasm.html`);
  await tab.waitForFunction(() => window.shareTrackErrors.length > 0);
  const detail = await share(tab, 'copy');
  assert.equal(detail.url, `${origin}/no-wasm.html`);  // shared untracked
  assert.equal(detail.token, '');
  assert.deepEqual(await tab.evaluate(() => window.shareTrackErrors), ['engine_unavailable']);
  assert.equal(warnings.filter((w) => w.startsWith('ShareTrack:')).length, 1);
  await context.close();
});

test('every control can be reached and used with the keyboard', async () => {
  const { context, page: tab } = await visitor();
  await tab.goto(`${origin}/index.html`);
  await tab.evaluate(() => window.sharetrack('ready'));
  const reached = [];
  for (let i = 0; i < 8; i++) {
    await tab.keyboard.press('Tab');
    const focused = await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.activeElement?.dataset.channel);
    if (focused) reached.push(focused);
  }
  for (const channel of ['copy', 'x', 'facebook', 'linkedin', 'whatsapp', 'email']) {
    assert.ok(reached.includes(channel), `${channel} not reached by Tab (${reached})`);
  }
  await tab.evaluate(() => document.querySelector('sharetrack-widget').shadowRoot.querySelector('[data-channel="copy"]').focus());
  const outline = await tab.evaluate(() => getComputedStyle(
    document.querySelector('sharetrack-widget').shadowRoot.activeElement).outlineStyle);
  const detail = tab.evaluate(() => new Promise((resolve) => {
    document.addEventListener('sharetrack:share', (event) => resolve(event.detail), { once: true });
  }));
  await tab.keyboard.press('Enter');
  assert.equal((await detail).channel, 'copy');
  assert.notEqual(outline, 'none');
  await context.close();
});

test('a testimonial containing markup renders as text', async () => {
  const { context, page: tab } = await visitor();
  await tab.goto(`${origin}/xss.html`);
  await tab.waitForFunction(() => customElements.get('sharetrack-widget'));
  const shown = await tab.evaluate(() => {
    const root = document.querySelector('sharetrack-widget').shadowRoot;
    return { text: root.querySelector('.quote').textContent, images: root.querySelectorAll('img').length };
  });
  assert.deepEqual(shown, { text: '<img src=x onerror="window.pwned=1">', images: 0 });
  assert.equal(await tab.evaluate(() => window.pwned), undefined);
  await context.close();
});
