// A newcomer's path through the demo: `scripts/demo` starts and prints its URLs; the brand's pages,
// the video, the widget and the dashboard answer; a share opened by a friend who then subscribes
// shows up in the query API as a counted clickback and a credited conversion; Ctrl-C stops it and
// leaves nothing listening.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { freePort, humanUserAgent, root, share, tokenPattern, until } from './harness.mjs';

const token = 'northwind-demo-token-0123456789';
let demo, output = '', origin, browser;

async function api(path) {
  const response = await fetch(`${origin}/v1/sites/northwind/${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  return response.json();
}

before(async () => {
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  demo = spawn(`${root}scripts/demo`, ['--port', String(port), '--fresh'], { cwd: root, detached: true });
  demo.stdout.on('data', (chunk) => { output += chunk; });
  demo.stderr.on('data', (chunk) => { output += chunk; });
  await until(() => output.includes('Ctrl-C stops the demo.'), 'scripts/demo to print its URLs', 300000);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-blink-features=AutomationControlled'] });
});

after(async () => {
  await browser?.close();
  if (demo.exitCode === null) process.kill(-demo.pid, 'SIGKILL');
});

test('scripts/demo prints the site, the email link and the dashboard with its token', () => {
  for (const line of [`${origin}/`, `${origin}/newsletter.html?sub=`, `${origin}/dashboard/`, token]) {
    assert.ok(output.includes(line), `${line} in:\n${output}`);
  }
});

test('the pages, the video, the widget, the embedded wall and the dashboard answer', async () => {
  for (const path of ['/', '/ritual.html', '/stories.html', '/signup.html', '/newsletter.html', '/sharetrack.js',
    '/sharetrack_engine.wasm', '/media/testimonial.webm', '/dashboard/', '/dashboard/dashboard.js']) {
    const response = await fetch(`${origin}${path}`);
    assert.equal(response.status, 200, path);
  }
  const wall = origin.replace(/\d+$/, (port) => String(Number(port) + 1));
  assert.ok(output.includes(`${wall}/`), `the wall's origin in:\n${output}`);
  const stories = await (await fetch(`${origin}/stories.html`)).text();
  assert.ok(stories.includes(`src="${wall}/"`) && stories.includes(`data-embed-origins="${wall}"`));
  for (const path of ['/', '/sharetrack.js', '/wall.css']) {
    const response = await fetch(`${wall}${path}`);
    assert.equal(response.status, 200, `the wall's ${path}`);
    assert.equal(response.headers.get('content-security-policy'), `frame-ancestors ${origin}`);
  }
});

test('a share, a friend who opens it and subscribes: a counted clickback and a credited conversion', async () => {
  const sharer = await browser.newContext({ userAgent: humanUserAgent });
  const page = await sharer.newPage();
  await page.goto(`${origin}/ritual.html`);
  await page.waitForSelector('sharetrack-widget[content-id="ritual/jon"] button[data-channel="copy"]');
  const { url } = await share(page, 'copy', 'ritual/jon');
  assert.match(url, tokenPattern);
  await page.evaluate(() => window.sharetrack('flush'));
  mkdirSync(`${root}build/native/tests/artifacts`, { recursive: true });
  await page.screenshot({ path: `${root}build/native/tests/artifacts/demo-ritual.png`, fullPage: true });

  const friend = await browser.newContext({ userAgent: humanUserAgent });
  const landing = await friend.newPage();
  await landing.goto(url);
  await landing.waitForFunction(() => typeof window.sharetrack === 'function' && !('q' in window.sharetrack));
  await landing.evaluate(() => window.sharetrack('flush'));
  await landing.goto(`${origin}/signup.html`);
  await landing.fill('#email', 'friend@example.com');
  await landing.click('#signup button');
  await landing.waitForSelector('#thanks:not([hidden])');
  await landing.evaluate(() => window.sharetrack('flush'));

  const leader = await until(async () => (await api('leaderboard')).rows[0], 'a score on the leaderboard', 20000);
  assert.equal(leader.countedClickbacks, 1);
  const credited = await until(async () => (await api('leaderboard?sort=conversions')).rows[0]?.conversionsInfluenced,
    'the conversion credited', 20000);
  assert.equal(credited, 1);
  await sharer.close();
  await friend.close();
});

test('Ctrl-C stops the demo and leaves nothing listening', async () => {
  const exited = new Promise((resolve) => demo.once('exit', (code, signal) => resolve({ code, signal })));
  process.kill(-demo.pid, 'SIGINT');
  const { code } = await exited;
  assert.equal(code, 0, output);
  await assert.rejects(fetch(`${origin}/`), 'the collector is gone');
  await assert.rejects(fetch(`${origin.replace(/\d+$/, (port) => String(Number(port) + 1))}/`), 'the wall is gone');
});
