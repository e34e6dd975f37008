// <sharetrack-widget> in headless Chromium (Debian's, driven by playwright-core), on pages served
// by the real collector, which stores what the widget posts in a real SQLite file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../..', import.meta.url));
const humanUserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const friendsToken = 'BIAAD6AEjRWeJq83veg0b';  // a first share through x (tests/vectors/tokens.json)
const tokenPattern = /[?&]st=(B[A-Za-z0-9_-]{20})(?:&|#|$)/;

let folder;
let collector;
let browser;
let origin;

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function page(name, { csp = '', quote = '', body = '' } = {}) {
  const policy = csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : '';
  writeFileSync(`${folder}/static/${name}`, `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${policy}<title>Acme: what customers say</title>
<script>window.sharetrack = window.sharetrack || function () { (sharetrack.q = sharetrack.q || []).push(arguments) };</script>
<script src="/sharetrack.js" data-collector="${origin}" data-site="acme" defer></script></head>
<body><h1>Testimonials</h1>
<sharetrack-widget content-id="t-42" url="${origin}/${name}" title="Ann on Acme"${quote ? ` quote="${quote}"` : ''}>
<p>Acme changed how we work.</p></sharetrack-widget>${body}
</body></html>`);
}

function query(sql) {
  const out = execFileSync('sqlite3', ['-json', `${folder}/t.db`, sql], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

async function until(condition, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await condition();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function visitor() {
  const context = await browser.newContext({ userAgent: humanUserAgent });
  return { context, page: await context.newPage() };
}

// Clicks a control and returns the detail of the sharetrack:share event it raised.
async function share(tab, channel) {
  const detail = tab.evaluate(() => new Promise((resolve) => {
    document.addEventListener('sharetrack:share', (event) => resolve(event.detail), { once: true });
  }));
  await tab.locator(`sharetrack-widget button[data-channel="${channel}"]`).click();
  return detail;
}

before(async () => {
  folder = mkdtempSync(`${tmpdir()}/sharetrack-browser-`);
  execFileSync('mkdir', ['-p', `${folder}/static`]);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  writeFileSync(`${folder}/sites.json`, JSON.stringify({ sites: [{ id: 'acme', origins: [origin] }] }));
  for (const file of ['sharetrack.js', 'sharetrack_engine.wasm']) {
    copyFileSync(`${root}web/dist/${file}`, `${folder}/static/${file}`);
  }
  page('index.html');
  page('strict.html', { csp: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'" });
  page('no-wasm.html', { csp: "default-src 'self'; script-src 'self' 'unsafe-inline'" });
  page('xss.html', { quote: '&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;' });
  collector = spawn(`${root}build/native/collector/sharetrack-collector`,
    ['--listen', `127.0.0.1:${port}`, '--db', `${folder}/t.db`, '--sites', `${folder}/sites.json`, '--static',
      `${folder}/static`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await until(async () => {
    try {
      return (await fetch(`${origin}/healthz`)).ok;
    } catch {
      return false;
    }
  }, 'the collector');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-blink-features=AutomationControlled'],
  });
});

after(async () => {
  await browser?.close();
  collector?.kill('SIGTERM');
  if (folder) rmSync(folder, { recursive: true, force: true });
});

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
